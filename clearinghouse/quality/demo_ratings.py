"""Demo ratings: participants checked in at the demo's past events rate them, learners rate the
courses they follow, demo people download and rate guidance materials, and both sides of the
completed demo cooperations rate them (the requester's people rate the offer too). Comments in
the raters' own languages; some ratings have none.

Only people who took part rate, through the same services as on the pages (the demo data of
events, learning, support and matchmaking must load first). Each rating is dated after what it
rates (after the event, months back for the others) so that the dashboard's trends have a
history. Idempotent: a person who rated an item already is left as they are."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import cycle
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clearinghouse.accounts.demo import DEMO_DOMAIN
from clearinghouse.accounts.models import User
from clearinghouse.core.languages import content_language
from clearinghouse.events.models import Event, Registration
from clearinghouse.learning.models import Course, Enrolment, EnrolmentStatus
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Cooperation, MatchState
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.quality import ratings
from clearinghouse.quality.models import Rating
from clearinghouse.support.models import Resource

EVENTS, COURSES, RESOURCES = 4, 3, 3
PER_ITEM = 4
# The demo people who downloaded the guidance materials (their addresses' local parts).
READERS = ("learner", "officer.ke", "focalpoint.eg", "partner.ifdd", "iplc.pe")

# (stars, comment) by language; an empty comment is a rating of stars only.
COMMENTS: dict[str, list[tuple[int, str]]] = {
    "en": [
        (5, "Practical exercises we could use at work the following week."),
        (4, "Good content; the field visit was too short."),
        (3, "Useful overall, but the sessions ran late every day."),
        (4, ""),
    ],
    "fr": [
        (5, "Formateurs excellents et supports clairs, disponibles en français."),
        (4, "Très utile ; il manquait du temps pour les échanges entre pays."),
        (4, ""),
    ],
    "es": [
        (5, "Muy práctico, con ejemplos de nuestra región."),
        (3, "Buen contenido, pero faltó interpretación en algunas sesiones."),
        (5, ""),
    ],
    "ar": [
        (5, "ورشة عملية ومفيدة، والمواد متوفرة باللغة العربية."),
        (4, "محتوى جيد، لكن الوقت المخصص للنقاش كان قصيراً."),
        (4, ""),
    ],
    "zh": [
        (5, "内容实用，案例丰富，对我们的工作很有帮助。"),
        (4, "课程很好，但练习时间不够。"),
        (5, ""),
    ],
    "ru": [
        (5, "Очень полезно: отличные практические задания."),
        (4, "Хорошие материалы, но не хватило времени на вопросы."),
        (4, ""),
    ],
}
_turns: dict[str, Any] = {}


def _words(person: User) -> tuple[int, str, str]:
    """The next (stars, comment) in the person's language, and that language."""
    language = content_language(person.preferred_language or "en")
    language = language if language in COMMENTS else "en"
    if language not in _turns:
        _turns[language] = cycle(COMMENTS[language])
    stars, comment = next(_turns[language])
    return stars, comment, language


def _dated(rating: Rating, at: datetime) -> None:
    Rating.objects.filter(pk=rating.pk).update(created_at=at, updated_at=at)


def _rate_record(record: Record, person: User, at: datetime) -> bool:
    if ratings.own_rating(person, identifier=record.identifier) is not None:
        return False
    stars, comment, language = _words(person)
    try:
        rating = ratings.rate_record(record, person=person, stars=stars, comment=comment, language=language)
    except (PermissionDenied, ValidationError):
        return False
    _dated(rating, min(at, timezone.now()))
    return True


def _events() -> int:
    rated = 0
    past = Event.objects.filter(live=True, ends_at__lt=timezone.now()).order_by("-ends_at", "pk")
    for event in past:
        if rated >= EVENTS:
            break
        came = (
            Registration.objects.filter(event=event, person__isnull=False, checked_in_at__isnull=False)
            .select_related("person")
            .order_by("checked_in_at", "pk")[:PER_ITEM]
        )
        after = (event.ends_at or timezone.now()) + timedelta(days=1)
        for registration in came:
            if registration.person is not None:
                _rate_record(event, registration.person, after)
        # An event its participants rated counts, whether now or in an earlier run.
        rated += bool(came)
    return rated


def _courses() -> int:
    rated = 0
    for course in Course.objects.filter(live=True).order_by("identifier"):
        if rated >= COURSES:
            break
        learners = (
            Enrolment.objects.filter(course=course)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .select_related("person")
            .order_by("enrolled_at", "pk")[:PER_ITEM]
        )
        for enrolment in learners:
            _rate_record(course, enrolment.person, enrolment.enrolled_at + timedelta(days=30))
        rated += bool(learners)
    return rated


def _resources() -> int:
    readers = list(User.objects.filter(email__in=[f"{name}{DEMO_DOMAIN}" for name in READERS]))
    readers.sort(key=lambda person: READERS.index(person.email.removesuffix(DEMO_DOMAIN)))
    now = timezone.now()
    materials = list(Resource.objects.filter(live=True).order_by("identifier")[:RESOURCES])
    for number, material in enumerate(materials):
        for offset, person in enumerate(readers[number : number + PER_ITEM]):
            ratings.note_use(material.identifier, person)
            _rate_record(material, person, now - timedelta(days=20 * (number + offset + 1)))
    return len(materials)


def _cooperations() -> int:
    rated = 0
    completed = Cooperation.objects.filter(match__state=MatchState.COMPLETED).select_related(
        "match__case__request", "match__case__need", "match__outcome"
    )
    for cooperation in completed.order_by("pk"):
        match = cooperation.match
        outcome = getattr(match, "outcome", None)
        at = min((outcome.reported_at if outcome else timezone.now()) + timedelta(days=3), timezone.now())
        people = sides.requester_people(match.case)[:1] + sides.provider_people(match)[:1]
        for person in people:
            if ratings.own_rating(person, cooperation=cooperation) is not None:
                continue
            stars, comment, language = _words(person)
            try:
                rating = ratings.rate_cooperation(
                    cooperation, person=person, stars=stars, comment=comment, language=language
                )
            except (PermissionDenied, ValidationError):
                continue
            _dated(rating, at)
            rated += 1
        support = registry.find(match.support_identifier)
        if support is not None and support.RECORD_TYPE == "OFFER" and support.live:
            for person in sides.requester_people(match.case)[:1]:
                _rate_record(support, person, at)
    return rated


def load() -> list[str]:
    """Rate the demo's events, courses, resources and cooperations."""
    with batched_announcements():
        _events()
        _courses()
        _resources()
        _cooperations()
    rated = Rating.objects.exclude(identifier="").values("identifier").distinct().count()
    cooperations = Rating.objects.filter(cooperation__isnull=False).values("cooperation").distinct().count()
    return [
        f"{'Ratings':32} {Rating.objects.count()} ratings of {rated} events, courses, materials and "
        f"offers and {cooperations} cooperation(s); search's rating facet (/search/)",
    ]
