"""Demo registrations: the demo people (and a few guests without an account, in the six
languages) register for the demo's upcoming events whose registration is open, through the same
services as on the web, so the panels, the waiting list, the participants pages and the public
list show something real. A focal point nominates a funded participant where the event takes
nominations. Idempotent: an event that already has registrations is left as it is."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.events import permissions
from clearinghouse.events import registration as services
from clearinghouse.events.models import Event, ParticipantRole
from clearinghouse.geo.models import Country

_DOMAIN = "demo.clearinghouse.example"
# (account's e-mail, country, organisation, gender, sector, IPLC, youth, listed, role)
_PEOPLE = [
    ("learner", "CN", "Yunnan Biodiversity Institute", "woman", "academia", False, True, True, ""),
    ("iplc.pe", "PE", "AIDESEP", "woman", "iplc", True, False, True, ""),
    ("partner.ifdd", "SN", "IFDD", "woman", "intergovernmental", False, False, True, ""),
    ("trainer", "RU", "", "man", "academia", False, False, True, ParticipantRole.TRAINER),
    ("officer.ke", "KE", "Kenya Wildlife Service", "man", "government", False, False, False, ""),
]
# (name, e-mail, language, country, organisation, gender, sector, youth, listed)
_GUESTS = [
    (
        "Fatima Al-Amin",
        "fatima.alamin",
        "ar",
        "EG",
        "Egyptian Environmental Affairs Agency",
        "woman",
        "government",
        True,
        True,
    ),
    (
        "Jean-Baptiste Mukendi",
        "jb.mukendi",
        "fr",
        "CD",
        "Réseau des aires protégées",
        "man",
        "ngo",
        False,
        True,
    ),
    ("Olga Ivanova", "olga.ivanova", "ru", "KZ", "", "woman", "academia", True, False),
    ("Carlos Mamani", "carlos.mamani", "es", "BO", "Consejo de Ayllus", "man", "iplc", False, True),
    ("Zhang Hua", "zhang.hua", "zh-hans", "CN", "", "undisclosed", "private", True, False),
]


def _country(code: str) -> Country | None:
    return Country.objects.filter(code=code).first()


def load() -> list[str]:
    """Register the demo people and guests for the open upcoming events; nothing to print."""
    now = timezone.now()
    events = Event.objects.filter(live=True, starts_at__gt=now, registration_opens_at__lte=now).filter(
        Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now)
    )
    organiser = User.objects.filter(email=f"secretariat@{_DOMAIN}").first()
    focal_point = User.objects.filter(email=f"focalpoint.ke@{_DOMAIN}").first()
    for event in events.order_by("starts_at"):
        if event.registrations.exists():
            continue
        for local, code, organisation, gender, sector, iplc, youth, listed, role in _PEOPLE:
            person = User.objects.filter(email=f"{local}@{_DOMAIN}").first()
            if person is None:
                continue
            facts = services.Facts(_country(code), organisation, gender, iplc, youth, sector)
            try:
                outcome = services.register(
                    event,
                    person=person,
                    facts=facts,
                    answers={},
                    consents=services.Consents(listed=listed, contactable=True),
                    language=person.preferred_language,
                )
            except ValidationError:
                # Required questions the demo cannot answer: leave the event to people.
                break
            if role and organiser is not None:
                services.set_role(outcome.registration, actor=organiser, role=role)
        for name, local, language, code, organisation, gender, sector, youth, listed in _GUESTS:
            try:
                services.register(
                    event,
                    person=None,
                    name=name,
                    email=f"{local}@example.org",
                    facts=services.Facts(_country(code), organisation, gender, False, youth, sector),
                    answers={},
                    consents=services.Consents(listed=listed),
                    language=language,
                )
            except ValidationError:
                break
        kenya = _country("KE")
        if focal_point is not None and kenya is not None and permissions.may_nominate(focal_point, event):
            services.nominate(
                event,
                actor=focal_point,
                country=kenya,
                name="Achieng Otieno",
                email="achieng.otieno@example.org",
                funded=True,
                language="en",
            )
    return []
