"""Demo alumni, after the events' and the learners' demos: everyone checked in at a demo event
and every demo learner who completed a course becomes an alumnus, through the same service the
receivers call (the demo loads in one transaction: the receivers only run after it). Most
consent, some refused or withdrew; the alumni with an account are listed in the directory, each
showing a different part of their profile, in several countries and languages.

Two people are left for a newcomer to try: Nour Hamdy, who has an account and was checked in at
the Cairo workshop, whose consent is still asked (her sign-in is printed), and a participant of
a list without an account, invited to claim their record. Idempotent: what was recorded or
answered stays as it is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clearinghouse.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from clearinghouse.accounts.models import User
from clearinghouse.community import alumni
from clearinghouse.community.models import Alumnus, Consent
from clearinghouse.core.mail import site_url
from clearinghouse.events import attendance
from clearinghouse.events.models import Certificate, Event, EventKind, Registration, RegistrationStatus
from clearinghouse.geo.models import Country
from clearinghouse.learning.models import Enrolment, EnrolmentStatus
from clearinghouse.vocabularies.models import Term

NEWCOMER = f"participant.eg{DEMO_DOMAIN}"
# What some alumni write about themselves, each in their own language (by demo account).
ABOUT = {
    "learner": "在昆明从事两栖动物DNA条形码研究，愿意分享实验室流程和本国参考库的建设经验。",
    "learner.ar": "مفتشة بيئية في جهاز شئون البيئة، أعمل على مكافحة الاتجار غير المشروع بالأنواع المهددة.",
    "learner.sn": "Chargée de projet sur la restauration des mangroves en Casamance avec les communautés.",
    "learner.br": "Guardaparque; monitoreo de especies exóticas invasoras en áreas protegidas.",
    "learner.ru": "Исследую опылителей степных экосистем и методы их мониторинга.",
    "learner.ke": "Field coordinator for invasive plant removal around Lake Naivasha.",
    "trainer": "Тренер по мониторингу охраняемых территорий и оценке эффективности управления.",
}
SUBJECTS = [
    "SUBJ-TAXONOMY",
    "SUBJ-WILDLIFE-TRADE",
    "SUBJ-RESTORATION",
    "SUBJ-INVASIVE-ALIEN-SPECIES",
    "SUBJ-PROTECTED-AREAS",
    "SUBJ-TRADITIONAL-KNOWLEDGE",
]
# Each listed alumnus shows a different part of their profile (the name and country shown by
# default; one keeps even the name private).
VISIBILITY = [
    {"shows_organisation": True, "shows_expertise": True, "shows_languages": True, "shows_activities": True},
    {"shows_expertise": True, "shows_activities": True},
    {"shows_languages": True},
    {"shows_name": False, "shows_expertise": True},
    {"shows_organisation": True, "shows_activities": True},
]


def _newcomer() -> User:
    """Nour Hamdy: an account, an Arabic reader from Egypt, no role."""
    user, created = User.objects.get_or_create(
        email=NEWCOMER,
        defaults={
            "username": NEWCOMER.split("@")[0],
            "first_name": "Nour",
            "last_name": "Hamdy",
            "preferred_language": "ar",
            "country": Country.objects.filter(code="EG").first(),
            "languages_spoken": ["ar", "en"],
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=NEWCOMER, verified=True, primary=True)
    return user


def _cairo_workshop() -> Event | None:
    return (
        Event.objects.filter(
            live=True, kind=EventKind.WORKSHOP, venue_country__code="EG", starts_at__lt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )


def _check_in_newcomer(user: User) -> None:
    """Nour came to the Cairo workshop, registered with her account, checked in at the desk."""
    event = _cairo_workshop()
    if event is None or event.starts_at is None:
        return
    registration = Registration.objects.filter(event=event, email=user.email).first()
    if registration is None:
        registration = Registration.objects.create(
            event=event,
            person=user,
            name=user.get_full_name(),
            email=user.email,
            language="ar",
            status=RegistrationStatus.CONFIRMED,
            country=user.country,
            organisation_name="جهاز شئون البيئة",
            gender="woman",
            sector="government",
            youth=True,
        )
    if registration.checked_in_at is None:
        organiser = event.created_by
        attendance.check_in(registration, actor=organiser, at=event.starts_at - timedelta(minutes=10))
        registration.refresh_from_db()
    issued = Certificate.objects.filter(registration__event=event).exists()
    if issued and attendance.may_have_certificate(registration):
        # The workshop's certificates were issued: hers too.
        attendance.certificate_for(registration)


def _record_all() -> set[int]:
    """Every attendance and completion recorded; the alumni new this time."""
    before = set(Alumnus.objects.values_list("pk", flat=True))
    attended = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False, participation__isnull=True
    ).select_related("person")
    for registration in attended.order_by("checked_in_at", "pk"):
        alumni.record_registration(registration, notify=False)
    completed = Enrolment.objects.filter(
        status=EnrolmentStatus.COMPLETED, participation__isnull=True
    ).select_related("person")
    for enrolment in completed.order_by("completed_at", "pk"):
        alumni.record_enrolment(enrolment, notify=False)
    return set(Alumnus.objects.values_list("pk", flat=True)) - before


def _profile(alumnus: Alumnus, number: int, subjects: list[Term]) -> None:
    """A listed alumnus: their account's facts filled where empty, a part of it shown."""
    person: Any = alumnus.person
    if not person.languages_spoken:
        person.languages_spoken = sorted({(person.preferred_language or "en")[:2], "en"})
        person.save(update_fields=["languages_spoken"])
    if subjects and not person.expertise.exists():
        person.expertise.add(subjects[number % len(subjects)], subjects[(number + 2) % len(subjects)])
    flags = VISIBILITY[number % len(VISIBILITY)]
    alumni.update_profile(
        alumnus,
        {
            "in_directory": True,
            "accepts_messages": number % 3 != 2,
            "about": ABOUT.get(person.email.removesuffix(DEMO_DOMAIN), ""),
            **flags,
        },
    )


def load() -> list[str]:
    """Record the demo's alumni and their answers; print the newcomer's sign-in and a claim link."""
    newcomer = _newcomer()
    _check_in_newcomer(newcomer)
    new = _record_all()
    if not Alumnus.objects.exists():
        return []
    left_for_newcomers = {newcomer.pk}
    guest = Alumnus.objects.filter(person__isnull=True).order_by("pk").first()
    subjects = list(Term.objects.filter(vocabulary__name="subjects", code__in=SUBJECTS).order_by("code"))
    start = timezone.now() - timedelta(days=20)
    # Only the alumni nobody has answered for yet: what was answered before stays.
    waiting = Alumnus.objects.filter(consent=Consent.ASKED, consent_changed_at__isnull=True).order_by("pk")
    for number, alumnus in enumerate(waiting):
        if alumnus.person_id in left_for_newcomers or (guest is not None and alumnus.pk == guest.pk):
            continue
        if number % 9 == 4:
            alumni.refuse_consent(alumnus)
            continue
        given = alumni.give_consent(alumnus, at=start + timedelta(hours=number))
        if number % 13 == 6:
            alumni.withdraw_consent(given)
        elif given.person_id is not None:
            _profile(given, number, subjects)
    if guest is not None and guest.pk in new:
        # The list's participant is written to, with the invitation to claim the record.
        transaction.on_commit(lambda: alumni.ask_consent(guest))
    consenting = Alumnus.objects.filter(consent=Consent.GIVEN)
    lines = [
        f"{'Alumni':32} {Alumnus.objects.count()} alumni ({consenting.count()} consenting, "
        f"{consenting.filter(in_directory=True).count()} in the directory)",
        f"{'  sign in as participant.eg':32} {DEMO_PASSWORD}  checked in at the Cairo workshop, "
        f"consent still to give: {site_url(reverse('community:profile'))}",
    ]
    if guest is not None:
        claim = reverse("community:claim", args=[alumni.token(guest, alumni.CLAIM_SALT)])
        lines.append(f"{'  claim, signed in:':32} {site_url(claim)} ({guest.name}, no account)")
    return lines
