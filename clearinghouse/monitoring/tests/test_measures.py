"""The measures the apps declare count the right rows in a period, by their dimensions and for one
activity; every measure can be computed by every one of its dimensions (wrong ORM paths fail
here, on SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from clearinghouse.core.testing import World, make_user
from clearinghouse.events.models import (
    EventKind,
    Gender,
    Sector,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.helpdesk import services as helpdesk
from clearinghouse.helpdesk.models import Ticket
from clearinghouse.helpdesk.tests.factories import desk, ticket
from clearinghouse.learning.models import EnrolmentStatus
from clearinghouse.learning.tests.cert_factories import enrol, make_course
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.monitoring.models import Area
from clearinghouse.plan.models import Activity, ActivityProgress, Evidence, EvidenceKind, Section, Status
from clearinghouse.publishing.registry import Measure, measures

pytestmark = pytest.mark.django_db

YEAR = Period.years(2025)
BEFORE = datetime(2024, 12, 31, 22, 0, tzinfo=UTC)  # the day before the period


def _at(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 10, 0, tzinfo=UTC)


def _count(code: str, period: Period = YEAR, **options: Any) -> dict[str, float]:
    return measure_values(measures()[code], period, **options)


def _activity(number: int) -> Activity:
    return Activity.objects.create(number=number, section=Section.CROSS_CUTTING, text_original="Activity")


def test_every_declared_measure_names_its_area_and_a_label() -> None:
    declared = {code: measure for code, measure in measures().items() if not code.endswith(".published")}
    expected = {
        "needs.parties_registering",
        "requests.parties",
        "needs.matched",
        "needs.under_way",
        "needs.addressed",
        "needs.days_to_match",
        "needs.naming_national_targets",
        "assessments.citing_national_report",
        "national.targets",
        "national.parties_with_targets",
        "matchmaking.cases",
        "matchmaking.matches",
        "matchmaking.cooperations",
        "matchmaking.parties_cooperating",
        "matchmaking.cofunding",
        "matchmaking.outcomes",
        "events.held",
        "events.trainings",
        "events.participants",
        "events.people_trained",
        "events.parties_participating",
        "learning.enrolments",
        "learning.completions",
        "learning.parties_learning",
        "helpdesk.tickets",
        "helpdesk.resolved",
        "helpdesk.parties_assisted",
        "helpdesk.days_to_resolve",
        "usage.views",
        "usage.downloads",
        "plan.activities_reported",
        "plan.activities_completed",
        "plan.evidence",
        "plan.contributions_accepted",
        "plan.contributing_organisations",
    }
    assert expected <= set(declared)
    for measure in declared.values():
        assert measure.area in Area.values, measure.code
        assert str(measure.label), measure.code
    people = {code for code, measure in declared.items() if measure.people}
    assert {"events.participants", "events.people_trained", "learning.completions"} <= people


@pytest.mark.parametrize("code", sorted(measures()))
def test_every_measure_is_computed_by_each_of_its_dimensions_on_an_empty_database(
    db: None, code: str
) -> None:
    measure: Measure = measures()[code]
    currency = "USD" if measure.currency else ""
    assert measure_values(measure, YEAR, currency=currency) in ({"": 0.0}, {})
    assert measure_values(measure, YEAR, cumulative=True, currency=currency) in ({"": 0.0}, {})
    # The path to the plan's activities is a real one.
    assert measure_values(measure, YEAR, activity=1, currency=currency) in ({"": 0.0}, {})
    for dimension in measure.dimensions:
        assert measure_values(measure, YEAR, dimension=dimension, currency=currency) == {}, dimension


def test_events_held_trainings_and_the_people_who_attended(world: World) -> None:
    world.tanzania.sids = True
    world.tanzania.save()
    serves = _activity(7)
    workshop = make_event(world, kind=EventKind.WORKSHOP, starts_at=_at(3, 2))
    workshop.plan_activities.add(serves)
    webinar = make_event(world, kind=EventKind.WEBINAR, starts_at=_at(6, 1))
    make_event(world, kind=EventKind.TRAINING, starts_at=BEFORE)
    make_event(world, kind=EventKind.TRAINING, starts_at=_at(5, 5), live=False)  # not public
    # Two Kenyan women (one youth, one IPLC), a Tanzanian man; one registered who never came.
    register(
        workshop, "Wanjiku", checked_in_at=_at(3, 2), country=world.kenya, gender=Gender.WOMAN, youth=True
    )
    register(
        workshop,
        "Nasieku",
        checked_in_at=_at(3, 2),
        country=world.kenya,
        gender=Gender.WOMAN,
        represents_iplc=True,
        sector=Sector.IPLC,
    )
    register(workshop, "Baraka", checked_in_at=_at(3, 3), country=world.tanzania, gender=Gender.MAN)
    register(workshop, "Absent Person", country=world.tanzania)
    register(webinar, "Juma", checked_in_at=_at(6, 1), country=world.tanzania, gender=Gender.MAN)

    assert _count("events.held") == {"": 2}
    assert _count("events.held", dimension="kind") == {"workshop": 1, "webinar": 1}
    assert _count("events.held", activity=7) == {"": 1}
    assert _count("events.trainings") == {"": 1}
    assert _count("events.participants") == {"": 4}
    assert _count("events.participants", dimension="gender") == {"woman": 2, "man": 2}
    assert _count("events.participants", dimension="iplc") == {"yes": 1, "no": 3}
    assert _count("events.participants", dimension="youth") == {"yes": 1, "no": 3}
    assert _count("events.participants", dimension="party") == {"KE": 2, "TZ": 2}
    assert _count("events.participants", dimension="sids") == {"no": 2, "yes": 2}
    assert _count("events.participants", activity=7) == {"": 3}
    assert _count("events.people_trained") == {"": 3}
    assert _count("events.people_trained", dimension="ldc") == {"no": 2, "yes": 1}
    assert _count("events.parties_participating") == {"": 2}
    assert _count("events.parties_participating", dimension="kind") == {"workshop": 2, "webinar": 1}
    # Attendance is dated by the check-in: none in the day before the period.
    assert _count("events.participants", Period(date(2025, 3, 3), date(2025, 3, 3))) == {"": 1}
    assert measures()["events.participants"].people


def test_participants_ratings_of_events_and_the_high_ones(world: World) -> None:
    serves = _activity(45)
    workshop = make_event(world, kind=EventKind.WORKSHOP, starts_at=_at(3, 2))
    workshop.plan_activities.add(serves)
    webinar = make_event(world, kind=EventKind.WEBINAR, starts_at=_at(6, 1))
    hidden = make_event(world, kind=EventKind.TRAINING, starts_at=_at(5, 5), live=False)

    def answered(event: Any, on: date, ratings: list[int | None], comment: str = "") -> None:
        survey, _created = Survey.objects.get_or_create(event=event)
        rating = SurveyQuestion.objects.get_or_create(
            survey=survey, position=0, kind=SurveyQuestionKind.RATING
        )[0]
        text = SurveyQuestion.objects.get_or_create(survey=survey, position=1, kind=SurveyQuestionKind.TEXT)[
            0
        ]
        for number in ratings:
            response = SurveyResponse.objects.create(survey=survey, language="fr", submitted_on=on)
            SurveyAnswer.objects.create(response=response, question=rating, number=number)
            SurveyAnswer.objects.create(response=response, question=text, text=comment or "Utile")

    answered(workshop, date(2025, 3, 4), [5, 4, 2, None])
    answered(webinar, date(2025, 6, 2), [3, 5])
    answered(webinar, date(2024, 12, 30), [1])  # before the period
    answered(hidden, date(2025, 5, 6), [5])  # an event that is not public
    assert _count("events.ratings") == {"": 5}
    assert _count("events.high_ratings") == {"": 3}
    assert _count("events.ratings", dimension="kind") == {"workshop": 3, "webinar": 2}
    assert _count("events.high_ratings", activity=45) == {"": 2}
    assert _count("events.ratings", dimension="language") == {"fr": 5}


def test_enrolments_completions_and_the_countries_of_learners_with_their_consent(world: World) -> None:
    course = make_course(world)
    course.plan_activities.add(_activity(11))
    other = make_course(world)
    people = [make_user(f"learner{number}", "Learner", str(number)) for number in range(4)]
    consenting = {"consents_to_statistics": True}
    enrol(course, people[0], enrolled_at=_at(2, 1), **consenting, country=world.kenya, gender=Gender.WOMAN)
    enrol(
        course,
        people[1],
        enrolled_at=_at(2, 1),
        completed_at=_at(4, 1),
        status=EnrolmentStatus.COMPLETED,
        **consenting,
        country=world.tanzania,
        represents_iplc=True,
    )
    # Kept without consent (as an older enrolment might be): never counted by who they are.
    enrol(
        other,
        people[2],
        enrolled_at=_at(2, 3),
        completed_at=_at(4, 2),
        status=EnrolmentStatus.COMPLETED,
        country=world.kenya,
        gender=Gender.WOMAN,
    )
    enrol(other, people[3], enrolled_at=BEFORE, completed_at=BEFORE, status=EnrolmentStatus.COMPLETED)

    assert _count("learning.enrolments") == {"": 3}
    assert _count("learning.enrolments", dimension="gender") == {"woman": 1, "": 2}
    assert _count("learning.enrolments", dimension="party") == {"KE": 1, "TZ": 1, "": 1}
    assert _count("learning.enrolments", activity=11) == {"": 2}
    assert _count("learning.completions") == {"": 2}
    assert _count("learning.completions", dimension="iplc") == {"yes": 1, "": 1}
    assert _count("learning.completions", dimension="ldc") == {"yes": 1, "": 1}
    assert _count("learning.completions", cumulative=True) == {"": 3}
    assert _count("learning.parties_learning") == {"": 1}
    assert measures()["learning.completions"].people


def test_tickets_opened_resolved_the_parties_assisted_and_the_days_to_resolve(world: World) -> None:
    agent = world.helpdesk_agent
    desk("central", agents=[agent])
    kenyan = ticket(country=world.kenya)
    kenyan_again = ticket(country=world.kenya, language="fr")
    tanzanian = ticket(country=world.tanzania)
    unknown = ticket()
    duplicate = ticket(country=world.tanzania)
    helpdesk.merge(duplicate, into=tanzanian, actor=agent)
    for closed in (kenyan, tanzanian):
        helpdesk.close(closed, actor=agent)
    opened = {kenyan: _at(1, 10), kenyan_again: _at(1, 11), tanzanian: _at(2, 1), unknown: BEFORE}
    for found, when in opened.items():
        Ticket.objects.filter(pk=found.pk).update(created_at=when)
    Ticket.objects.filter(pk=kenyan.pk).update(closed_at=_at(1, 14))  # four days
    Ticket.objects.filter(pk=tanzanian.pk).update(closed_at=_at(2, 11))  # ten days
    Ticket.objects.filter(pk=duplicate.pk).update(created_at=_at(2, 2), closed_at=_at(2, 2))

    assert _count("helpdesk.tickets") == {"": 3}  # the merged one is not a question of its own
    assert _count("helpdesk.tickets", dimension="party") == {"KE": 2, "TZ": 1}
    assert _count("helpdesk.tickets", dimension="language") == {"en": 2, "fr": 1}
    assert _count("helpdesk.tickets", dimension="ldc") == {"no": 2, "yes": 1}
    assert _count("helpdesk.resolved") == {"": 2}
    assert _count("helpdesk.parties_assisted") == {"": 2}
    assert _count("helpdesk.parties_assisted", dimension="regional_group") == {"Africa": 2}
    assert _count("helpdesk.days_to_resolve") == {"": 7.0}
    assert _count("helpdesk.days_to_resolve", dimension="party") == {"KE": 4.0, "TZ": 10.0}


def test_activities_reported_completed_and_evidence_added(world: World) -> None:
    first, second = _activity(1), _activity(2)

    def report(activity: Activity, status: Status) -> ActivityProgress:
        return ActivityProgress.objects.create(
            activity=activity,
            period="2025",
            period_start=2025,
            period_end=2025,
            status=status,
            note_language="en",
            recorded_by=world.secretariat,
        )

    report(first, Status.UNDER_WAY)
    report(first, Status.COMPLETED)
    report(second, Status.UNDER_WAY)
    Evidence.objects.create(
        activity=second, kind=EvidenceKind.EVENT, title="Workshop report", url="https://example.org/report"
    )
    today = timezone.localdate()
    now = Period(today, today)
    assert _count("plan.activities_reported", now) == {"": 2}
    assert _count("plan.activities_reported", now, dimension="status") == {"under_way": 2, "completed": 1}
    assert _count("plan.activities_completed", now) == {"": 1}
    assert _count("plan.activities_completed", now, activity=2) == {"": 0}
    assert _count("plan.evidence", now, dimension="kind") == {"event": 1}
    assert _count("plan.evidence", now, activity=2) == {"": 1}
    yesterday = today - timedelta(days=1)
    assert _count("plan.activities_reported", Period(yesterday, yesterday)) == {"": 0}
