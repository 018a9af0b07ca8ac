"""What monitoring counts of events besides their publication: events held, trainings, the people
who attended (checked in) and their countries, and their ratings of the events. Loaded from
EventsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.events.models import Event, EventKind, Registration, SurveyAnswer, SurveyQuestionKind
from clearinghouse.publishing.measures import Dimensions, country_dimensions, owner_dimensions, yes_no
from clearinghouse.publishing.registry import Measure, register_measure

# "Trainings and workshops" in the plan's indicators: events whose people are trained.
TRAINED_AT = (EventKind.TRAINING, EventKind.WORKSHOP)

_EVENT: Dimensions = {
    "kind": "kind",
    "attendance": "attendance",
    "subject": "subjects__code",
    "target": "gbf_targets__code",
    "language": "original_language",
    **owner_dimensions(),
}

# Participants by who they are (given at registration) and by the event they attended.
_PARTICIPANT: Dimensions = {
    **country_dimensions("country"),
    "gender": "gender",
    "iplc": yes_no("represents_iplc"),
    "youth": yes_no("youth"),
    "sector": "sector",
    "role": "role",
    "kind": "event__kind",
}


def _held() -> QuerySet[Any]:
    return Event.objects.filter(live=True)


def _attended() -> QuerySet[Any]:
    return Registration.objects.filter(checked_in_at__isnull=False, event__live=True)


register_measure(
    Measure(
        code="events.held",
        label=_("Events held"),
        area="events",
        rows=_held,
        date="starts_at",
        dimensions=_EVENT,
        activities="plan_activities__number",
    )
)
register_measure(
    Measure(
        code="events.trainings",
        label=_("Trainings and workshops held"),
        area="events",
        rows=lambda: _held().filter(kind__in=TRAINED_AT),
        date="starts_at",
        dimensions=_EVENT,
        activities="plan_activities__number",
    )
)
register_measure(
    Measure(
        code="events.participants",
        label=_("People who attended events"),
        area="events",
        rows=_attended,
        date="checked_in_at",
        dimensions=_PARTICIPANT,
        activities="event__plan_activities__number",
        people=True,
    )
)
register_measure(
    Measure(
        code="events.people_trained",
        label=_("People trained at trainings and workshops"),
        area="events",
        rows=lambda: _attended().filter(event__kind__in=TRAINED_AT),
        date="checked_in_at",
        dimensions=_PARTICIPANT,
        activities="event__plan_activities__number",
        people=True,
    )
)
register_measure(
    Measure(
        code="events.parties_participating",
        label=_("Countries of the people who attended events"),
        area="events",
        rows=_attended,
        date="checked_in_at",
        aggregate="distinct",
        of="country",
        dimensions={
            key: path for key, path in _PARTICIPANT.items() if key not in {"gender", "iplc", "youth"}
        },
        activities="event__plan_activities__number",
    )
)


# Participants' ratings (1 to 5) of the events they attended, from the evaluation surveys: the
# "feedback from participants" the plan's indicators judge quality by. A rating of 4 or 5 is a
# high one; the share of high ratings is the indicator.
HIGH_RATING = 4


def _ratings() -> QuerySet[Any]:
    return SurveyAnswer.objects.filter(
        question__kind=SurveyQuestionKind.RATING, number__isnull=False, response__survey__event__live=True
    )


_RATING: Dimensions = {
    "kind": "response__survey__event__kind",
    "language": "response__language",
    **owner_dimensions("response__survey__event"),
}

register_measure(
    Measure(
        code="events.ratings",
        label=_("Participants' ratings of events"),
        area="events",
        rows=_ratings,
        date="response__submitted_on",
        dimensions=_RATING,
        activities="response__survey__event__plan_activities__number",
    )
)
register_measure(
    Measure(
        code="events.high_ratings",
        label=_("Participants' ratings of events of 4 or 5 out of 5"),
        area="events",
        rows=lambda: _ratings().filter(number__gte=HIGH_RATING),
        date="response__submitted_on",
        dimensions=_RATING,
        activities="response__survey__event__plan_activities__number",
    )
)
