"""The measures of needs and matchmaking count what the matchmaking did, dated as it happened: the
Parties registering needs and requests, cases, matches, the needs' steps to being addressed and
the days it took to match them, cooperations, their Parties and co-funding per currency, and
outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import Scene, publish_request
from clearinghouse.matchmaking.tests.steps import in_progress
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.plan.models import Activity, Section
from clearinghouse.publishing.registry import measures

COOPERATION_STARTS = Period(date(2026, 9, 1), date(2026, 9, 1))  # as steps.cooperation_details


def _count(code: str, period: Period | None = None, **options: Any) -> dict[str, float]:
    today = timezone.localdate()
    return measure_values(measures()[code], period or Period(today, today), **options)


def test_a_need_taken_from_publication_to_its_outcome_is_counted_at_each_step(scene: Scene) -> None:
    world = scene.world
    request = publish_request(world, scene.commit, [scene.need])
    request.plan_activities.add(
        Activity.objects.create(number=4, section=Section.CROSS_CUTTING, text_original="Matchmaking")
    )
    assert _count("needs.parties_registering", dimension="party") == {"KE": 1}
    assert _count("requests.parties") == {"": 1}
    assert _count("needs.matched") == {"": 0}

    match = in_progress(world, scene.need, scene.offer)
    services.complete(match, actor=world.authorised_user, results="25 inspectors trained.", language="en")

    # The request's case opened when it was published, the need's when the help desk took it.
    assert _count("matchmaking.cases", dimension="party") == {"KE": 2}
    assert _count("matchmaking.cases", activity=4) == {"": 1}
    assert _count("matchmaking.matches", dimension="ldc") == {"no": 1}
    for step in ("needs.matched", "needs.under_way", "needs.addressed", "matchmaking.outcomes"):
        assert _count(step) == {"": 1}, step
    assert _count("needs.matched", dimension="subject") == {"SUBJ-INVASIVE-ALIEN-SPECIES": 1}
    assert _count("needs.matched", dimension="priority") == {"high": 1}
    # Matched within the test: no whole day after its publication.
    assert _count("needs.days_to_match") == {"": 0.0}

    # The cooperation counts from the day it starts, not the day it was agreed.
    assert _count("matchmaking.cooperations") == {"": 0}
    assert _count("matchmaking.cooperations", COOPERATION_STARTS, dimension="kind") == {"training": 1}
    # Kenya as requester, Nature Kenya (in Kenya) as provider: one Party; the named partner none.
    assert _count("matchmaking.parties_cooperating", COOPERATION_STARTS) == {"": 1}
    assert _count("matchmaking.parties_cooperating", COOPERATION_STARTS, dimension="role") == {
        "requester": 1,
        "provider": 1,
        "other": 0,
    }
    assert _count("matchmaking.cofunding", COOPERATION_STARTS, currency="USD") == {"": 20000.5}
    assert _count("matchmaking.cofunding", COOPERATION_STARTS, currency="KES") == {"": 500000}
    assert _count("matchmaking.cofunding", COOPERATION_STARTS, currency="USD", dimension="kind") == {
        "financial": 12000,
        "in_kind": 8000.5,
    }
    assert _count("matchmaking.cofunding", COOPERATION_STARTS, currency="USD", dimension="party") == {
        "KE": 20000.5
    }
