"""A shared test world of named people, Parties and organisations (used by the suite's
fixtures; kept in the package so every app's tests build the same world)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth.hashers import make_password

from clearinghouse.accounts import mfa_policy, tokens
from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Appointment, AppointmentLog, Role, TokenScope, User
from clearinghouse.accounts.roles import forget_appointments
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.organisations.models import Organisation, OrganisationType, free_codes


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


# The people of the world: attribute, username, first and last name, language, and the role with
# the attribute of its Party or organisation (None: a role without scope, or no role).
PEOPLE: tuple[tuple[str, str, str, str, str, Role | None, str | None], ...] = (
    ("secretariat", "amina", "Amina", "Haddad", "ar", Role.SECRETARIAT, None),
    ("focal_point", "wanjiru", "Wanjiru", "Kamau", "en", Role.FOCAL_POINT, "kenya"),
    ("authorised_user", "otieno", "Otieno", "Odhiambo", "en", Role.AUTHORISED_USER, "kenya"),
    ("other_focal_point", "neema", "Neema", "Mushi", "en", Role.FOCAL_POINT, "tanzania"),
    ("iplc_representative", "kiprop", "Kiprop", "Sang", "en", Role.IPLC_REPRESENTATIVE, "kenyan_iplc"),
    ("partner_editor", "akinyi", "Akinyi", "Njeri", "en", Role.PARTNER_EDITOR, "kenyan_ngo"),
    ("helpdesk_agent", "lucia", "Lucía", "Fernández", "es", Role.HELPDESK_AGENT, None),
    ("trainer", "pierre", "Pierre", "Lefèvre", "fr", Role.TRAINER, None),
    ("learner", "mei", "Mei", "Wang", "zh-hans", None, None),
    ("outsider", "ivan", "Ivan", "Petrov", "ru", None, None),
)
ORGANISATIONS: tuple[tuple[str, str, OrganisationType, str | None], ...] = (
    ("kenyan_ngo", "Nature Kenya", OrganisationType.NGO, "kenya"),
    ("tanzanian_ngo", "Tanzania Forest Conservation Group", OrganisationType.NGO, "tanzania"),
    ("kenyan_iplc", "Ogiek Peoples' Development Program", OrganisationType.IPLC, "kenya"),
    ("tanzanian_iplc", "Maasai Pastoralists Council", OrganisationType.IPLC, "tanzania"),
    ("international", "Global Biodiversity Training Network", OrganisationType.NGO, None),
)


def _countries() -> dict[str, Country]:
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
    return {"kenya": kenya, "tanzania": tanzania}


def _scope(places: dict[str, Any], attribute: str | None) -> tuple[Country | None, Organisation | None]:
    place = places.get(attribute) if attribute else None
    return (place, None) if isinstance(place, Country) else (None, place)


def build_world() -> World:
    """The world as the services would make it (``build_world_through_services``; a test keeps
    the two equal), written in a score of queries rather than six score: most tests start here."""
    places: dict[str, Any] = _countries()
    codes = free_codes([""] * len(ORGANISATIONS))
    for (attribute, name, kind, country), code in zip(ORGANISATIONS, codes, strict=True):
        places[attribute] = Organisation.objects.create(
            code=code,
            name=name,
            name_language="en",
            type=kind,
            country=places.get(country) if country else None,
        )
    people = User.objects.bulk_create(
        User(
            username=username,
            email=f"{username}@example.org",
            password=make_password(f"{username}-passphrase-2026"),
            first_name=first_name,
            last_name=last_name,
            preferred_language=language,
        )
        for _attribute, username, first_name, last_name, language, _role, _scope_of in PEOPLE
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in people
    )
    appointed = [
        (user, role, *_scope(places, scope_of))
        for user, (_a, _u, _f, _l, _lang, role, scope_of) in zip(people, PEOPLE, strict=True)
        if role is not None
    ]
    Appointment.objects.bulk_create(
        Appointment(user=user, role=role, country=country, organisation=organisation)
        for user, role, country, organisation in appointed
    )
    AppointmentLog.objects.bulk_create(
        AppointmentLog(
            action=AppointmentLog.Action.APPOINTED,
            role=role,
            email=user.email,
            user=user,
            country=country,
            organisation=organisation,
        )
        for user, role, country, organisation in appointed
    )
    # Whoever's role requires a second factor before acting has one (accounts.mfa_policy).
    Authenticator.objects.bulk_create(
        Authenticator(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(generate_totp_secret())}
        )
        for user, role, _country, _organisation in appointed
        if role in mfa_policy.SECOND_FACTOR_ROLES
    )
    places |= {entry[0]: user for entry, user in zip(PEOPLE, people, strict=True)}
    return World(**places)


def build_world_through_services() -> World:
    """The same world made one person at a time through the accounts services: what
    ``build_world`` must equal."""
    places: dict[str, Any] = _countries()
    for attribute, name, kind, country_of in ORGANISATIONS:
        places[attribute] = Organisation.objects.create(
            name=name, name_language="en", type=kind, country=places.get(country_of) if country_of else None
        )
    people = {
        attribute: make_user(username, first_name, last_name, language)
        for attribute, username, first_name, last_name, language, _role, _scope_of in PEOPLE
    }
    for attribute, _username, _first, _last, _language, role, scope_of in PEOPLE:
        if role is not None:
            country, organisation = _scope(places, scope_of)
            appointments.appoint(
                actor=None, user=people[attribute], role=role, country=country, organisation=organisation
            )
    for person in people.values():
        if mfa_policy.requires_second_factor(person):
            give_second_factor(person)
        # Tests change appointments later: leave no roles cached on the objects they use.
        forget_appointments(person)
    return World(**(places | people))


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
