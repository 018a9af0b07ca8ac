"""What monitoring counts of alumni, communities, mentoring and follow-up: the right rows in a
period, by their dimensions and for one plan activity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from clearinghouse.community.models import (
    Applied,
    Consent,
    FollowUp,
    FollowUpRequest,
    MentoringStatus,
    Mentorship,
)
from clearinghouse.community.tests.statistics_factories import alumnus, community, post, took_part
from clearinghouse.core.testing import World, make_user
from clearinghouse.events.models import Gender
from clearinghouse.events.tests.attendance_factories import make_event
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.plan.models import Activity, Section
from clearinghouse.publishing.registry import measures

pytestmark = pytest.mark.django_db

YEAR = Period.years(2025)


def _at(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def _count(code: str, period: Period = YEAR, **options: Any) -> dict[str, float]:
    return measure_values(measures()[code], period, **options)


def test_alumni_are_counted_once_each_with_consent_by_who_they_are_and_by_activity(world: World) -> None:
    serves = Activity.objects.create(number=9, section=Section.CROSS_CUTTING, text_original="Alumni")
    workshop = make_event(world)
    workshop.plan_activities.add(serves)
    webinar = make_event(world)
    amina = alumnus("Amina", country=world.kenya, gender=Gender.WOMAN, represents_iplc=True)
    took_part(amina, workshop, date(2025, 3, 2))
    took_part(amina, webinar, date(2025, 5, 2))  # the same person, counted once
    juma = alumnus("Juma", country=world.tanzania, gender=Gender.MAN)
    took_part(juma, webinar, date(2025, 6, 1))
    # Not counted: no consent, withdrawn consent, and a participation the year before.
    took_part(alumnus("Asked", consent=Consent.ASKED, country=world.kenya), workshop, date(2025, 3, 2))
    took_part(alumnus("Gone", consent=Consent.WITHDRAWN, country=world.kenya), workshop, date(2025, 3, 2))
    took_part(alumnus("Earlier", country=world.kenya), workshop, date(2024, 12, 31))

    assert _count("community.alumni") == {"": 2.0}
    assert _count("community.alumni", cumulative=True) == {"": 3.0}
    assert _count("community.alumni", dimension="party") == {"KE": 1.0, "TZ": 1.0}
    assert _count("community.alumni", dimension="gender") == {"woman": 1.0, "man": 1.0}
    assert _count("community.alumni", dimension="iplc") == {"yes": 1.0, "no": 1.0}
    assert _count("community.alumni", dimension="activity") == {"event": 2.0}
    assert _count("community.alumni", activity=9) == {"": 1.0}
    assert measures()["community.alumni"].people


def test_active_alumni_are_those_active_in_the_90_days_before_the_period_ends(world: World) -> None:
    end_of_2025 = _at(12, 31)
    alumnus("Recent", country=world.kenya, last_active_at=end_of_2025 - timedelta(days=10))
    alumnus("Edge", country=world.kenya, last_active_at=end_of_2025 - timedelta(days=85))
    alumnus("Spring", country=world.kenya, last_active_at=_at(4, 1))  # in 2025, but not lately
    alumnus("Next year", country=world.kenya, last_active_at=_at(1, 5, 2026))
    alumnus("Never", country=world.kenya)
    alumnus("No consent", consent=Consent.ASKED, last_active_at=end_of_2025)

    assert _count("community.active_alumni") == {"": 2.0}
    # The same 90 days whatever the period's length: a biennium looks at the end of 2026.
    assert _count("community.active_alumni", Period.years(2025, 2026)) == {"": 0.0}
    assert _count("community.active_alumni", Period.years(2026)) == {"": 0.0}
    assert _count("community.active_alumni", Period(date(2025, 1, 1), date(2026, 1, 31))) == {"": 2.0}


def test_a_community_is_active_with_posts_by_two_members_in_the_last_90_days(world: World) -> None:
    kenyan, tanzanian = world.focal_point, world.other_focal_point
    active = community(world)
    topic = post(active, kenyan, _at(11, 1)).topic
    post(topic, tanzanian, _at(12, 1))
    lonely = community(world)  # many posts, one author
    for day in (1, 2, 3):
        post(lonely, kenyan, _at(12, day))
    stale = community(world)  # two members, but the second long before the 90 days
    post(stale, kenyan, _at(12, 1))
    post(stale, tanzanian, _at(3, 1))
    hidden = community(world)  # a hidden post does not count
    post(hidden, kenyan, _at(12, 1))
    post(hidden, tanzanian, _at(12, 2), hidden_at=_at(12, 3))
    draft = community(world, live=False)
    post(draft, kenyan, _at(12, 1))
    post(draft, tanzanian, _at(12, 2))

    assert _count("community.active_communities") == {"": 1.0}
    assert _count("community.active_communities", dimension="party") == {"KE": 1.0}


def test_people_writing_and_replies_between_members_of_different_parties(world: World) -> None:
    kenyan, tanzanian, another_kenyan = world.focal_point, world.other_focal_point, world.authorised_user
    alumnus("Kenyan", person=kenyan, country=world.kenya, gender=Gender.WOMAN)
    alumnus("Tanzanian", person=tanzanian, country=world.tanzania, gender=Gender.MAN)
    another_kenyan.country = world.kenya  # known from the account only
    another_kenyan.save()
    nowhere = make_user("nowhere", "No", "Country")
    where = community(world)
    opening = post(where, kenyan, _at(5, 1))
    post(opening.topic, tanzanian, _at(5, 2))  # across Parties: an exchange
    post(opening.topic, another_kenyan, _at(5, 3))  # the same Party: not one
    post(opening.topic, nowhere, _at(5, 4))  # a Party unknown: not counted
    post(opening.topic, tanzanian, _at(1, 4, 2026))  # next year
    post(where, tanzanian, _at(5, 5))  # opening a topic is not a reply

    assert _count("community.peer_exchanges") == {"": 1.0}
    assert _count("community.peer_exchanges", dimension="party") == {"TZ": 1.0}
    assert _count("community.participants") == {"": 4.0}
    assert _count("community.participants", dimension="gender") == {"woman": 1.0, "man": 1.0, "": 2.0}


def test_mentoring_relations_asked_started_completed_and_rated(world: World) -> None:
    def relation(mentee: Any, status: str, **values: Any) -> Mentorship:
        made = Mentorship.objects.create(
            mentee=mentee,
            mentor=world.trainer,
            topic="Early detection of invasive species",
            request="I coordinate the national strategy.",
            starts_on=date(2025, 2, 1),
            ends_on=date(2025, 8, 1),
            status=status,
            **values,
        )
        Mentorship.objects.filter(pk=made.pk).update(created_at=_at(1, 20))
        return made

    relation(world.learner, MentoringStatus.PENDING)
    relation(world.focal_point, MentoringStatus.ACTIVE, started_at=_at(2, 1))
    relation(
        world.outsider,
        MentoringStatus.COMPLETED,
        started_at=_at(2, 1),
        finished_at=_at(8, 1),
        mentee_rating=5,
        mentor_rating=4,
    )
    relation(
        world.authorised_user,
        MentoringStatus.COMPLETED,
        started_at=_at(2, 1),
        finished_at=_at(8, 2),
        mentee_rating=3,
    )

    assert _count("community.mentoring_asked", dimension="status") == {
        "pending": 1.0,
        "active": 1.0,
        "completed": 2.0,
    }
    assert _count("community.mentoring_started") == {"": 3.0}
    assert _count("community.mentoring_completed") == {"": 2.0}
    assert _count("community.mentoring_rated_well") == {"": 1.0}


def test_follow_up_answers_asked_answered_and_applied(world: World) -> None:
    serves = Activity.objects.create(number=11, section=Section.CROSS_CUTTING, text_original="Messaging")
    workshop = make_event(world)
    workshop.plan_activities.add(serves)
    follow_up = FollowUp.objects.create(event=workshop, months_after=6)

    def asked(name: str, applied: str = "", **values: Any) -> FollowUpRequest:
        who = alumnus(name, country=world.kenya, gender=Gender.WOMAN, **values)
        taking_part = took_part(who, workshop, date(2025, 1, 10))
        answered = _at(8, 1) if applied else None
        return FollowUpRequest.objects.create(
            follow_up=follow_up,
            participation=taking_part,
            due_on=date(2025, 7, 10),
            sent_at=_at(7, 10),
            answered_at=answered,
            applied=applied,
        )

    asked("Much", Applied.MUCH)
    asked("Some", Applied.SOME)
    asked("Not yet", Applied.NOT_YET)
    asked("Silent")
    asked("Private", Applied.MUCH, consent=Consent.WITHDRAWN)

    assert _count("community.follow_ups_asked") == {"": 5.0}
    assert _count("community.follow_ups_answered", dimension="applied") == {
        "much": 2.0,
        "some": 1.0,
        "not_yet": 1.0,
    }
    assert _count("community.applied") == {"": 3.0}
    assert _count("community.applied", activity=11) == {"": 3.0}
    assert _count("community.applied", activity=12) == {"": 0.0}
    # Who answered is told only with their consent.
    assert _count("community.applied", dimension="gender") == {"woman": 2.0, "": 1.0}
