"""Monitoring's quality measures count the right rows in a period: items judged (each once),
those meeting the standard, those improved after a "needs changes" round, checklists completed,
ratings and high ratings, by record type, kind, the item owner's Party and the rater's region,
and for one activity of the plan; and the plan's indicators that wait for them are computed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.geo.models import Region
from clearinghouse.monitoring.catalogue import read
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.monitoring.models import Area, Method, Unit
from clearinghouse.plan.importer import import_plan
from clearinghouse.plan.models import Activity, Section
from clearinghouse.publishing.registry import measures
from clearinghouse.quality.models import AppliesTo, Judgment
from clearinghouse.quality.tests import dashboard_factories as make

pytestmark = pytest.mark.django_db

YEAR = Period.years(2025)
BEFORE = datetime(2024, 12, 31, 10, 0, tzinfo=UTC)
PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"


def _at(month: int, day: int = 10) -> datetime:
    return datetime(2025, month, day, 10, 0, tzinfo=UTC)


def _count(code: str, **options: Any) -> dict[str, float]:
    return measure_values(measures()[code], YEAR, **options)


def test_every_quality_measure_is_of_the_quality_area() -> None:
    codes = {code for code in measures() if code.startswith("quality.")}
    assert codes == {
        "quality.reviewed",
        "quality.meets",
        "quality.improved",
        "quality.checklists",
        "quality.checklists_completed",
        "quality.ratings",
        "quality.high_ratings",
        "quality.material_ratings",
        "quality.material_high_ratings",
    }
    assert all(measures()[code].area == Area.QUALITY for code in codes)


def test_items_judged_are_counted_once_each_with_those_meeting_and_those_improved(world: World) -> None:
    guide, other_guide = make.material(world), make.material(world, owner=world.tanzania)
    workshop = make.event(world)
    standard = make.standard(AppliesTo.MATERIAL, code="materials")
    events_standard = make.standard(AppliesTo.EVENT, code="events")
    # The guide needed changes, then met the standard: judged twice in the year, counted once.
    make.review(guide, standard, judgment=Judgment.NEEDS_CHANGES, judged_at=_at(2))
    make.review(guide, standard, round=2, judgment=Judgment.MEETS, judged_at=_at(5))
    # Met at once: not an improvement on feedback.
    make.review(workshop, events_standard, judgment=Judgment.MEETS, judged_at=_at(3))
    # Judged before the period, and a round still open: neither counts.
    make.review(other_guide, standard, judgment=Judgment.DOES_NOT_MEET, judged_at=BEFORE)
    make.review(other_guide, standard, round=2)

    assert _count("quality.reviewed") == {"": 2.0}
    assert _count("quality.meets") == {"": 2.0}
    assert _count("quality.improved") == {"": 1.0}
    assert _count("quality.reviewed", dimension="record_type") == {"EVENT": 1.0, "RES": 1.0}
    assert _count("quality.reviewed", dimension="kind") == {"event": 1.0, "material": 1.0}
    # By the owner of the item, found by its identifier in its type's table.
    assert _count("quality.reviewed", dimension="party") == {"KE": 2.0}
    assert _count("quality.reviewed", dimension="regional_group") == {"Africa": 2.0}
    assert _count("quality.reviewed", cumulative=True) == {"": 3.0}
    assert _count("quality.improved", dimension="kind") == {"material": 1.0}


def test_checklists_started_and_completed_in_the_period(world: World) -> None:
    workshop, lecture = make.event(world), make.course(world)
    steps = make.template(AppliesTo.EVENT, steps=3)
    make.checklist(workshop, steps, done=3, when=_at(4))
    make.checklist(lecture, make.template(AppliesTo.COURSE, steps=3), done=1, when=_at(4))
    make.checklist(make.event(world), steps, done=3, when=BEFORE)

    assert _count("quality.checklists") == {"": 2.0}
    assert _count("quality.checklists_completed") == {"": 1.0}
    assert _count("quality.checklists", dimension="kind") == {"course": 1.0, "event": 1.0}
    assert _count("quality.checklists_completed", dimension="template") == {steps.code: 1.0}


def test_ratings_and_high_ratings_by_type_and_the_raters_region(world: World) -> None:
    africa = Region.objects.create(code="002", level=Region.Level.REGION, names={"en": "Africa"})
    world.kenya.region = africa
    world.kenya.save(update_fields=["region"])
    guide, workshop = make.material(world), make.event(world)
    people = make.raters(world, 4)
    make.rate(guide, people[0], 5, country=world.kenya, at=_at(1))
    make.rate(guide, people[1], 2, country=world.tanzania, at=_at(6))
    make.rate(workshop, people[0], 4, country=world.kenya, at=_at(7))
    make.rate(workshop, people[2], 3, at=_at(8))  # a rater without a Party
    make.rate(guide, people[3], 5, country=world.kenya, at=BEFORE)

    assert _count("quality.ratings") == {"": 4.0}
    assert _count("quality.high_ratings") == {"": 2.0}
    assert _count("quality.material_ratings") == {"": 2.0}
    assert _count("quality.material_high_ratings") == {"": 1.0}
    assert _count("quality.ratings", dimension="record_type") == {"EVENT": 2.0, "RES": 2.0}
    assert _count("quality.ratings", dimension="party") == {"KE": 2.0, "TZ": 1.0, "": 1.0}
    assert _count("quality.high_ratings", dimension="region") == {"002": 2.0}
    assert _count("quality.ratings", dimension="stars") == {"2": 1.0, "3": 1.0, "4": 1.0, "5": 1.0}


def test_for_one_activity_only_ratings_of_items_naming_it_count(world: World) -> None:
    activity = Activity.objects.create(number=10, section=Section.CROSS_CUTTING, text_original="نشاط")
    named, other = make.material(world), make.material(world)
    named.plan_activities.add(activity)
    people = make.raters(world, 2)
    make.rate(named, people[0], 5, at=_at(3))
    make.rate(named, people[1], 3, at=_at(3))
    make.rate(other, people[0], 5, at=_at(3))

    assert _count("quality.material_ratings", activity=10) == {"": 2.0}
    assert _count("quality.material_high_ratings", activity=10) == {"": 1.0}
    assert _count("quality.material_ratings", activity=11) == {"": 0.0}


def test_the_indicators_that_waited_for_quality_reviews_and_feedback_are_computed() -> None:
    import_plan(PLAN_FILE)
    entries = {entry.code: entry for entry in read()}
    assert entries["7.1"].method == Method.COMPUTED and entries["7.1"].numerator == "quality.reviewed"
    assert entries["8.2a"].numerator == "quality.improved"
    for code in ("10.1", "13.4", "72.2"):
        # Quality of materials from their users' feedback: the share of high ratings.
        assert (entries[code].unit, entries[code].numerator, entries[code].denominator) == (
            Unit.SHARE,
            "quality.material_high_ratings",
            "quality.material_ratings",
        )
        assert entries[code].activity_only
    assert entries["14.2"].numerator == "quality.high_ratings"
    assert entries["31.2"].numerator == "quality.material_ratings"
    assert entries["84.2"].numerator == "quality.ratings"
    assert all(entries[code].area == Area.QUALITY for code in ("7.1", "8.2a", "10.1", "31.2", "84.2"))
