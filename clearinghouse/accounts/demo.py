"""Demo people and organisations for `clearinghouse loaddemo`: one person in each role, in
the six languages, so every page shows what it is for. Idempotent."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.core.management.base import CommandError

from clearinghouse.accounts import mfa_policy, services
from clearinghouse.accounts.models import AccessRequest, Appointment, Role, User
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation, OrganisationType

DEMO_PASSWORD = "demo-clearinghouse-2026"  # noqa: S105  # nosec B105  # printed on purpose by `make run`
DEMO_DOMAIN = "@demo.clearinghouse.example"
# Demo authenticator secrets are derived from the e-mail address with this public salt, so they
# are the same on every machine and scripts can compute codes; like the password, demo only.
DEMO_TOTP_SALT = b"clearinghouse-demo-totp-2026"


def demo_totp_secret(email: str) -> str:
    """The fixed base32 TOTP secret of a demo person (32 characters, 160 bits)."""
    digest = hmac.new(DEMO_TOTP_SALT, email.lower().encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def _turn_on_demo_totp(user: User) -> str:
    """Give the person their fixed authenticator secret; return it."""
    secret = demo_totp_secret(user.email)
    current = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if current is not None and decrypt(current.data["secret"]) == secret:
        return secret
    if current is not None:
        current.delete()
    TOTP.activate(user, secret)
    return secret


def demo_person(name: str) -> User:
    """The demo person whose address starts with ``name`` (officer.ke, helpdesk...), for the
    other apps' demo data."""
    try:
        return User.objects.get(email=f"{name}{DEMO_DOMAIN}")
    except User.DoesNotExist:
        raise CommandError("Demo people are missing: the accounts demo data must load first.") from None


def demo_owner(code: str) -> Country | Organisation:
    """A Party by its ISO code or an organisation by its acronym."""
    found = Country.objects.filter(code=code).first() or Organisation.objects.filter(acronym=code).first()
    if found is None:
        raise CommandError(f"Demo owner {code} is missing: run `clearinghouse loadreference` first.")
    return found


# (name, language, translations, acronym, type, country, website)
ORGANISATIONS = [
    (
        "Kenya Wildlife Service",
        "en",
        {"fr": "Service de la faune du Kenya", "es": "Servicio de Vida Silvestre de Kenia"},
        "KWS",
        OrganisationType.GOVERNMENT,
        "KE",
        "https://www.kws.go.ke",
    ),
    ("Nature Kenya", "en", {}, "", OrganisationType.NGO, "KE", "https://naturekenya.org"),
    (
        "جهاز شئون البيئة",
        "ar",
        {
            "en": "Egyptian Environmental Affairs Agency",
            "fr": "Agence égyptienne des affaires environnementales",
        },
        "EEAA",
        OrganisationType.GOVERNMENT,
        "EG",
        "https://www.eeaa.gov.eg",
    ),
    (
        "中国科学院植物研究所",
        "zh",
        {"en": "Institute of Botany, Chinese Academy of Sciences"},
        "IBCAS",
        OrganisationType.ACADEMIC,
        "CN",
        "https://www.ib.cas.cn",
    ),
    (
        "Центр охраны дикой природы",
        "ru",
        {"en": "Biodiversity Conservation Center"},
        "ЦОДП",
        OrganisationType.NGO,
        "RU",
        "https://www.biodiversity.ru",
    ),
    (
        "Asociación Interétnica de Desarrollo de la Selva Peruana",
        "es",
        {"en": "Interethnic Association for the Development of the Peruvian Rainforest"},
        "AIDESEP",
        OrganisationType.IPLC,
        "PE",
        "https://www.aidesep.org.pe",
    ),
    (
        "Institut de la Francophonie pour le développement durable",
        "fr",
        {"en": "Institute of the Francophonie for Sustainable Development"},
        "IFDD",
        OrganisationType.INTERGOVERNMENTAL,
        "CA",
        "https://www.ifdd.francophonie.org",
    ),
    (
        "University of the South Pacific",
        "en",
        {"fr": "Université du Pacifique Sud"},
        "USP",
        OrganisationType.EDUCATION,
        "FJ",
        "https://www.usp.ac.fj",
    ),
    (
        "Global Environment Facility",
        "en",
        {"fr": "Fonds pour l'environnement mondial", "es": "Fondo para el Medio Ambiente Mundial"},
        "GEF",
        OrganisationType.FUNDING,
        None,
        "https://www.thegef.org",
    ),
]

# (e-mail, first name, last name, language, role, country, organisation acronym)
PEOPLE = [
    ("secretariat@demo.clearinghouse.example", "Amina", "Haddad", "ar", Role.SECRETARIAT, None, None),
    ("focalpoint.ke@demo.clearinghouse.example", "Wanjiru", "Kamau", "en", Role.FOCAL_POINT, "KE", None),
    ("officer.ke@demo.clearinghouse.example", "Otieno", "Odhiambo", "en", Role.AUTHORISED_USER, "KE", None),
    ("focalpoint.eg@demo.clearinghouse.example", "Yasmin", "El-Sayed", "ar", Role.FOCAL_POINT, "EG", None),
    ("focalpoint.cn@demo.clearinghouse.example", "Wei", "Li", "zh-hans", Role.FOCAL_POINT, "CN", None),
    ("iplc.pe@demo.clearinghouse.example", "Rosa", "Quispe", "es", Role.IPLC_REPRESENTATIVE, None, "AIDESEP"),
    ("partner.ifdd@demo.clearinghouse.example", "Claire", "Dubois", "fr", Role.PARTNER_EDITOR, None, "IFDD"),
    ("helpdesk@demo.clearinghouse.example", "Lucía", "Fernández", "es", Role.HELPDESK_AGENT, None, None),
    ("trainer@demo.clearinghouse.example", "Dmitri", "Sokolov", "ru", Role.TRAINER, None, None),
    ("learner@demo.clearinghouse.example", "Mei", "Wang", "zh-hans", None, None, None),
    ("translator@demo.clearinghouse.example", "Lina", "Zhou", "zh-hans", Role.TRANSLATOR, None, None),
]


def _country(code: str | None) -> Country | None:
    if code is None:
        return None
    try:
        return Country.objects.get(code=code)
    except Country.DoesNotExist:
        raise CommandError("Reference data is missing: run `clearinghouse loadreference` first.") from None


def load() -> list[str]:
    """Create or refresh the demo organisations and people; return how to sign in: a table of
    e-mail, role, password and, for the roles that need a second factor, the TOTP secret."""
    organisations = {}
    for name, language, translations, acronym, kind, country, website in ORGANISATIONS:
        # The action plan import may have registered it already under its acronym.
        existing = (Organisation.objects.filter(acronym=acronym).first() if acronym else None) or (
            Organisation.objects.filter(name=name).first()
        )
        organisation, _created = Organisation.objects.update_or_create(
            pk=existing.pk if existing else None,
            defaults={
                "name": name,
                "name_language": language,
                "name_translations": translations,
                "acronym": acronym,
                "type": kind,
                "country": _country(country),
                "website": website,
            },
        )
        organisations[acronym or name] = organisation

    rows: list[tuple[str, str, str, str]] = []
    for email, first_name, last_name, language, role, country_code, employer_acronym in PEOPLE:
        user = _demo_account(
            email,
            first_name,
            last_name,
            language,
            is_staff=role == Role.SECRETARIAT,
            is_superuser=role == Role.SECRETARIAT,
            organisation=organisations.get(employer_acronym) if employer_acronym else None,
            country=_country(country_code),
        )
        label = str(role.label) if role else "Registered user"
        if role is not None:
            party = _country(country_code)
            employer = organisations[employer_acronym] if employer_acronym else None
            if not Appointment.objects.filter(
                user=user, role=role, country=party, organisation=employer, ended_at__isnull=True
            ).exists():
                services.appoint(actor=None, user=user, role=role, country=party, organisation=employer)
        secret = _turn_on_demo_totp(user) if mfa_policy.requires_second_factor(user) else ""
        rows.append((email, label, DEMO_PASSWORD, secret))
    rows += load_newcomers()
    return _table(rows)


# People without a role yet, each asking the people who act for a Party or an organisation for
# access, so that every focal point's and editor's dashboard shows a decision waiting.
# (e-mail, first name, last name, language, country, Party or organisation asked, message)
NEWCOMERS = [
    (
        "newcomer.ke@demo.clearinghouse.example",
        "Achieng",
        "Ouma",
        "en",
        "KE",
        "KE",
        "I coordinate invasive species work at the Kenya Forestry Research Institute and would like "
        "to register our training needs.",
    ),
    (
        "newcomer.eg@demo.clearinghouse.example",
        "Omar",
        "Farouk",
        "ar",
        "EG",
        "EG",
        "أعمل في محمية رأس محمد وأرغب في تسجيل احتياجات بناء القدرات لفريق الرصد البحري.",
    ),
    (
        "newcomer.cn@demo.clearinghouse.example",
        "Fang",
        "Zhou",
        "zh-hans",
        "CN",
        "CN",
        "我在云南省林业和草原局工作，希望登记我们在物种监测方面的能力建设需求。",
    ),
    (
        "newcomer.pe@demo.clearinghouse.example",
        "Julio",
        "Mamani",
        "es",
        "PE",
        "AIDESEP",
        "Soy técnico forestal de la federación de Ucayali y quiero registrar las necesidades de "
        "nuestras comunidades.",
    ),
    (
        "newcomer.ifdd@demo.clearinghouse.example",
        "Awa",
        "Diallo",
        "fr",
        None,
        "IFDD",
        "Je coordonne les formations de l'IFDD en Afrique de l'Ouest et souhaite enregistrer nos "
        "offres de formation.",
    ),
]


def load_newcomers() -> list[tuple[str, str, str, str]]:
    """Create the people without a role and their pending access requests (made through the
    service a person uses; one already decided is left as it is). Return their sign-in rows."""
    rows = []
    for email, first_name, last_name, language, country_code, asked, message in NEWCOMERS:
        user = _demo_account(email, first_name, last_name, language, country=_country(country_code))
        scope = demo_owner(asked)
        asked_before = AccessRequest.objects.filter(requester=user)
        if isinstance(scope, Country):
            asked_before = asked_before.filter(country=scope)
        else:
            asked_before = asked_before.filter(organisation=scope)
        if not asked_before.exists():
            services.request_access(requester=user, scope=scope, message=message)
        rows.append((email, "Registered user, asking for access", DEMO_PASSWORD, ""))
    return rows


def _demo_account(email: str, first_name: str, last_name: str, language: str, **details: Any) -> User:
    """The demo person with this address, signed in with the shared demo password and a verified
    address; ``details`` are further fields of the account."""
    user, _created = User.objects.update_or_create(
        email=email,
        defaults={
            "username": email.split("@")[0],
            "first_name": first_name,
            "last_name": last_name,
            "preferred_language": language,
            **details,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _table(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """Lines of a plain-text table, one column per field, for the console."""
    header = ("E-mail", "Role", "Password", "TOTP secret (base32)")
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
