"""The gap analysis: each breakdown against the support on offer and the matches made, the
needs that wait longest, where co-funding goes, and the funnel's counts and medians."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clearinghouse.core.testing import World
from clearinghouse.matchmaking.tests.conftest import Commit, publish_need, publish_request
from clearinghouse.matchmaking.tests.steps import agreed
from clearinghouse.monitoring import gaps
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.gaps import Breakdown, GapRow
from clearinghouse.monitoring.tests.gaps_scene import Gapped, _matcher, build
from clearinghouse.support.tests.factories import terms

pytestmark = pytest.mark.django_db
__all__ = ["_matcher"]


@pytest.fixture
def scene(world: World, django_capture_on_commit_callbacks: Commit) -> Gapped:
    return build(world, django_capture_on_commit_callbacks)


def _row(breakdown: Breakdown, key: str) -> GapRow:
    return next(row for row in breakdown.rows if row.key == key)


def test_needs_by_target_against_support_and_matches(scene: Gapped) -> None:
    analysis = gaps.analyse(scene.period, language="en")
    assert analysis.needs == 3
    # The offer and the opportunity are on offer.
    assert analysis.support == 2
    assert _row(analysis.by_target, "GBF-T6") == GapRow(
        "GBF-T6",
        _row(analysis.by_target, "GBF-T6").label,
        needs=2,
        support=1,
        matches=1,
        unmatched=1,
        gap_ratio=1.0,
    )
    assert _row(analysis.by_target, "GBF-T2").support == 1
    # Nothing is on offer for target 3: the gap has no ratio, however many needs wait.
    t3 = _row(analysis.by_target, "GBF-T3")
    assert (t3.needs, t3.support, t3.matches, t3.unmatched, t3.gap_ratio) == (1, 0, 0, 1, None)
    assert _row(analysis.by_target, "GBF-T6").label.startswith("Reduce the introduction of invasive")


def test_needs_by_subject_support_type_and_region(scene: Gapped) -> None:
    analysis = gaps.analyse(scene.period, language="en")
    invasive = _row(analysis.by_subject, "SUBJ-INVASIVE-ALIEN-SPECIES")
    assert (invasive.needs, invasive.support, invasive.matches, invasive.unmatched) == (2, 1, 1, 1)
    funding = _row(analysis.by_support_type, "funding")
    # Support nobody asked for: on offer, no need, no gap.
    assert (funding.needs, funding.support, funding.unmatched, funding.gap_ratio) == (0, 1, 0, 0.0)
    expertise = _row(analysis.by_support_type, "expertise")
    assert (expertise.needs, expertise.support, expertise.unmatched) == (1, 0, 1)
    africa = _row(analysis.by_region, "002")
    assert (africa.label, africa.needs, africa.support, africa.matches, africa.unmatched) == (
        "Africa",
        2,
        2,
        1,
        1,
    )
    assert africa.gap_ratio == 0.5
    # Tanzania has no region here: its need is counted, under "Not stated".
    assert _row(analysis.by_region, "").needs == 1
    assert _row(analysis.by_region, "").label == "Not stated"


def test_labels_follow_the_language(scene: Gapped) -> None:
    analysis = gaps.analyse(scene.period, language="ar")
    assert _row(analysis.by_region, "002").label == "أفريقيا"
    assert _row(analysis.by_region, "").label != "Not stated"


def test_the_widest_gaps_come_first(scene: Gapped) -> None:
    rows = gaps.analyse(scene.period, language="en").by_target.rows
    waiting = [row.unmatched for row in rows]
    assert waiting == sorted(waiting, reverse=True)


def test_needs_outside_the_period_are_not_counted(scene: Gapped) -> None:
    later = Period(date(scene.period.end.year + 1, 1, 1), date(scene.period.end.year + 1, 12, 31))
    analysis = gaps.analyse(later, language="en")
    assert analysis.needs == 0
    assert all(row.needs == 0 for row in analysis.by_target.rows)
    # Support published before stays on offer.
    assert analysis.support == 2


def test_a_need_matched_through_its_request_counts_once_per_target(scene: Gapped) -> None:
    first = publish_need(scene.world, scene.commit, title="Border guides, part one")
    second = publish_need(
        scene.world, scene.commit, title="Border guides, part two", gbf_targets=terms("GBF-T6", "GBF-T2")
    )
    request = publish_request(scene.world, scene.commit, [first, second])
    agreed(scene.world, request, scene.opportunity)
    analysis = gaps.analyse(scene.period, language="en")
    t6 = _row(analysis.by_target, "GBF-T6")
    # Both needs are matched by the request's one match, counted once under target 6.
    assert (t6.needs, t6.matches, t6.unmatched) == (4, 2, 1)
    assert _row(analysis.by_target, "GBF-T2").matches == 1
    # The request's contributions go to target 6 once, although two of its needs name it.
    usd_t6 = [row for row in analysis.cofunding.by_target if row.key == "GBF-T6" and row.currency == "USD"]
    assert [(row.amount, row.cooperations) for row in usd_t6] == [(Decimal("40001.00"), 2)]
    usd_t2 = [row for row in analysis.cofunding.by_target if row.key == "GBF-T2" and row.currency == "USD"]
    assert [row.amount for row in usd_t2] == [Decimal("20000.50")]


def test_the_needs_waiting_longest_come_first_with_their_age(scene: Gapped) -> None:
    waiting = gaps.analyse(scene.period, language="en").longest_unmatched
    assert [need.identifier for need in waiting] == [
        scene.waiting.identifier,
        scene.in_matchmaking.identifier,
    ]
    oldest = waiting[0]
    assert oldest.age_days in (299, 300)
    assert (oldest.party, oldest.party_name) == ("TZ", "Tanzania")
    assert oldest.targets == ("GBF-T2", "GBF-T3")
    assert oldest.title == "A national wetland inventory"


def test_cofunding_by_currency_and_region(scene: Gapped) -> None:
    cofunding = gaps.analyse(scene.period, language="en").cofunding
    assert [(row.currency, row.amount, row.cooperations) for row in cofunding.by_currency] == [
        ("KES", Decimal("500000.00"), 1),
        ("USD", Decimal("20000.50"), 1),
    ]
    assert [(row.key, row.label, row.currency, row.amount) for row in cofunding.by_region] == [
        ("002", "Africa", "KES", Decimal("500000.00")),
        ("002", "Africa", "USD", Decimal("20000.50")),
    ]
    assert {(row.key, row.currency) for row in cofunding.by_target} == {("GBF-T6", "KES"), ("GBF-T6", "USD")}


def test_the_funnel_counts_each_stage_and_the_median_days_between(scene: Gapped) -> None:
    stages = {stage.code: stage for stage in gaps.analyse(scene.period, language="en").funnel}
    assert [stage.code for stage in stages.values()] == [
        "registered",
        "in_matchmaking",
        "matched",
        "support_under_way",
        "addressed",
    ]
    assert [stage.needs for stage in stages.values()] == [3, 2, 1, 1, 0]
    # Registered to a case: 4 and 2 days; the case to the agreement: 5 days.
    assert stages["in_matchmaking"].median_days == 3.0
    assert stages["matched"].median_days == 5.0
    assert stages["support_under_way"].median_days == 1.0
    assert stages["registered"].median_days is None
    assert stages["addressed"].median_days is None


def test_a_need_answered_directly_passes_every_stage(scene: Gapped) -> None:
    from clearinghouse.matchmaking import services

    need = publish_need(scene.world, scene.commit, title="Where is the identification guide?")
    case = services.open_case(need, actor=scene.world.helpdesk_agent)
    services.answer_directly(case, actor=scene.world.helpdesk_agent, text="Here it is.", language="en")
    stages = [stage.needs for stage in gaps.analyse(scene.period, language="en").funnel]
    assert stages == [4, 3, 2, 2, 1]


def test_an_empty_clearing_house_has_empty_tables(db: None) -> None:
    analysis = gaps.analyse(Period.years(2025, 2026), language="en")
    assert analysis.needs == analysis.support == 0
    assert all(not breakdown.rows for breakdown in analysis.breakdowns)
    assert [stage.needs for stage in analysis.funnel] == [0, 0, 0, 0, 0]
    assert analysis.longest_unmatched == []
