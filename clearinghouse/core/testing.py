"""A shared test world of named people, Parties and organisations (used by the suite's
fixtures; kept in the package so every app's tests build the same world)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

from clearinghouse.accounts import mfa_policy, tokens
from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role, TokenScope, User
from clearinghouse.accounts.roles import forget_appointments
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.organisations.models import Organisation, OrganisationType


def make_country(code: str, alpha3: str, names: dict[str, str], **flags: object) -> Country:
    country, _created = Country.objects.update_or_create(
        code=code, defaults={"alpha3": alpha3, "names": names, "cbd_party": True, **flags}
    )
    return country


def make_user(username: str, first_name: str, last_name: str, language: str = "en") -> User:
    user = User.objects.create_user(
        username,
        email=f"{username}@example.org",
        password=f"{username}-passphrase-2026",
        first_name=first_name,
        last_name=last_name,
        preferred_language=language,
    )
    # Verified, as allauth requires before signing in.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def give_second_factor(user: User) -> str:
    """Turn on an authenticator app (TOTP) for the person, as the roles in
    accounts.mfa_policy require before acting; return its base32 secret."""
    secret = str(generate_totp_secret())
    TOTP.activate(user, secret)
    return secret


def totp_code(user_or_secret: User | str) -> str:
    """The code the person's authenticator app shows now."""
    if isinstance(user_or_secret, User):
        authenticator = Authenticator.objects.get(user=user_or_secret, type=Authenticator.Type.TOTP)
        secret = str(decrypt(authenticator.data["secret"]))
    else:
        secret = user_or_secret
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD)))


@dataclass
class World:
    kenya: Country
    tanzania: Country
    kenyan_ngo: Organisation
    tanzanian_ngo: Organisation
    kenyan_iplc: Organisation
    tanzanian_iplc: Organisation
    international: Organisation
    secretariat: User
    focal_point: User  # Kenya
    authorised_user: User  # Kenya
    other_focal_point: User  # Tanzania
    iplc_representative: User  # the Kenyan IPLC organisation
    partner_editor: User  # the Kenyan NGO
    helpdesk_agent: User
    trainer: User
    learner: User  # registered, no role
    outsider: User  # registered, no role, never given anything


def build_world() -> World:
    kenya = make_country(
        "KE",
        "KEN",
        {"ar": "كينيا", "zh": "肯尼亚", "en": "Kenya", "fr": "Kenya", "ru": "Кения", "es": "Kenia"},
        regional_group=RegionalGroup.AFRICA,
        developing=True,
    )
    tanzania = make_country(
        "TZ",
        "TZA",
        {
            "ar": "تنزانيا",
            "zh": "坦桑尼亚",
            "en": "Tanzania",
            "fr": "Tanzanie",
            "ru": "Танзания",
            "es": "Tanzania",
        },
        regional_group=RegionalGroup.AFRICA,
        developing=True,
        ldc=True,
    )

    def organisation(name: str, kind: OrganisationType, country: Country | None) -> Organisation:
        return Organisation.objects.create(name=name, name_language="en", type=kind, country=country)

    world = World(
        kenya=kenya,
        tanzania=tanzania,
        kenyan_ngo=organisation("Nature Kenya", OrganisationType.NGO, kenya),
        tanzanian_ngo=organisation("Tanzania Forest Conservation Group", OrganisationType.NGO, tanzania),
        kenyan_iplc=organisation("Ogiek Peoples' Development Program", OrganisationType.IPLC, kenya),
        tanzanian_iplc=organisation("Maasai Pastoralists Council", OrganisationType.IPLC, tanzania),
        international=organisation("Global Biodiversity Training Network", OrganisationType.NGO, None),
        secretariat=make_user("amina", "Amina", "Haddad", "ar"),
        focal_point=make_user("wanjiru", "Wanjiru", "Kamau"),
        authorised_user=make_user("otieno", "Otieno", "Odhiambo"),
        other_focal_point=make_user("neema", "Neema", "Mushi"),
        iplc_representative=make_user("kiprop", "Kiprop", "Sang"),
        partner_editor=make_user("akinyi", "Akinyi", "Njeri"),
        helpdesk_agent=make_user("lucia", "Lucía", "Fernández", "es"),
        trainer=make_user("pierre", "Pierre", "Lefèvre", "fr"),
        learner=make_user("mei", "Mei", "Wang", "zh-hans"),
        outsider=make_user("ivan", "Ivan", "Petrov", "ru"),
    )
    appoint = appointments.appoint
    appoint(actor=None, user=world.secretariat, role=Role.SECRETARIAT)
    appoint(actor=None, user=world.focal_point, role=Role.FOCAL_POINT, country=kenya)
    appoint(actor=None, user=world.authorised_user, role=Role.AUTHORISED_USER, country=kenya)
    appoint(actor=None, user=world.other_focal_point, role=Role.FOCAL_POINT, country=tanzania)
    appoint(
        actor=None,
        user=world.iplc_representative,
        role=Role.IPLC_REPRESENTATIVE,
        organisation=world.kenyan_iplc,
    )
    appoint(actor=None, user=world.partner_editor, role=Role.PARTNER_EDITOR, organisation=world.kenyan_ngo)
    appoint(actor=None, user=world.helpdesk_agent, role=Role.HELPDESK_AGENT)
    appoint(actor=None, user=world.trainer, role=Role.TRAINER)
    # Whoever's role requires a second factor before acting has one (accounts.mfa_policy).
    for person in vars(world).values():
        if isinstance(person, User):
            if mfa_policy.requires_second_factor(person):
                give_second_factor(person)
            # Tests change appointments later: leave no roles cached on the objects they use.
            forget_appointments(person)
    return world


def invasive_species_need_values(
    language: str,
    title: str,
    description: str,
    *,
    contact_name: str = "Awa",
    contact_email: str = "awa@example.org",
) -> dict[str, object]:
    """A complete need on training customs officers against invasive species, in ``language``
    (needs the vocabularies loaded): what several tests publish and then look for."""
    from clearinghouse.vocabularies.models import Term

    def terms(code: str) -> list[Term]:
        return list(Term.objects.filter(code=code))

    return {
        "original_language": language,
        "format_version": "1.0",
        "title": {language: title},
        "description": {language: description},
        "priority": "high",
        "subjects": terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
        "gbf_targets": terms("GBF-T6"),
        "instruments": terms("CBD"),
        "capacity_levels": terms("individual"),
        "support_types": terms("training"),
        "support_languages": [language],
        "contact_name": contact_name,
        "contact_email": contact_email,
    }


def token_headers(user: User, scope: str = TokenScope.WRITE) -> dict[str, str]:
    """Request headers carrying a new API token of ``user``'s, issued as the tokens page issues it."""
    _token, key = tokens.issue(user=user, name="Tests", scope=scope, days=tokens.DEFAULT_LIFETIME)
    return {"authorization": f"Token {key}"}
