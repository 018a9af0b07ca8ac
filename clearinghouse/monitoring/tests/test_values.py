"""Reading values for a period: the current computation, targets, the trend, and what the public
may not see (small counts of people, and a cell that would give one back by subtraction)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from clearinghouse.monitoring import values
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Indicator, ManualValue, Method
from clearinghouse.monitoring.tests.statistics_data import computation, indicator, store, target
from clearinghouse.monitoring.values import SMALL, WITHHELD, Shown

pytestmark = pytest.mark.django_db
BIENNIUM = Period.years(2025, 2026)


def _cells(found: values.IndicatorValues) -> dict[str, Shown]:
    return {row.key: row.shown for row in found.breakdowns[0].rows}


def test_the_latest_computation_of_the_period_with_its_target_and_a_trend_over_the_years(world: Any) -> None:
    counted = indicator("4.1", numerator="event.published", disaggregations=["party"])
    target(counted, 2025, 2026, 40)
    target(counted, 2027, 2028, 90)
    store(computation(2025, 2026, finished=datetime(2026, 1, 1, tzinfo=UTC)), counted, {("", ""): 10})
    store(
        computation(2025, 2026, finished=datetime(2026, 6, 1, tzinfo=UTC)),
        counted,
        {("", ""): 30, ("party", "KE"): 30},
    )
    store(computation(2024), counted, {("", ""): 3})
    store(computation(2026), counted, {("", ""): 12})
    reading = values.read(Indicator.objects.all(), BIENNIUM, dimensions=None)
    found = reading.indicators[0]
    assert found.total == Shown(30) and found.target == 40
    assert found.name == "People trained (4.1)"
    # From the first year computed to the period's end; 2025 was never computed on its own.
    assert [(point.year, point.shown.value, point.computed) for point in found.trend] == [
        (2024, 3, True),
        (2025, None, False),
        (2026, 12, True),
    ]
    assert [(row.key, row.label) for row in found.breakdowns[0].rows] == [("KE", "Kenya")]


def test_a_period_never_computed_reads_no_values() -> None:
    indicator("4.1")
    reading = values.read(Indicator.objects.all(), Period(date(2025, 3, 1), date(2025, 3, 31)))
    assert not reading.computed and not reading.indicators[0].has_value
    assert reading.indicators[0].total == Shown(None)


def test_small_counts_of_people_are_hidden_from_the_public_and_exact_for_the_secretariat(world: Any) -> None:
    trained = indicator("5.1", disaggregations=["gender"])
    store(
        computation(2025, 2026),
        trained,
        {("", ""): 27, ("gender", "woman"): 3, ("gender", "man"): 16, ("gender", "another"): 8},
        people=True,
    )
    public = values.read(Indicator.objects.all(), BIENNIUM, dimensions=None).indicators[0]
    # One small cell alone would be the total less the others (27 - 16 - 8): the next smallest
    # cell is withheld too.
    assert _cells(public) == {
        "man": Shown(16),
        "woman": Shown(None, SMALL),
        "another": Shown(None, WITHHELD),
    }
    assert public.total == Shown(27)
    exact = values.read(Indicator.objects.all(), BIENNIUM, exact=True, dimensions=None).indicators[0]
    assert _cells(exact) == {"man": Shown(16), "woman": Shown(3, SMALL), "another": Shown(8, WITHHELD)}


def test_a_small_total_is_hidden_and_zeros_and_counts_of_things_are_shown(world: Any) -> None:
    trained = indicator("5.1", disaggregations=["gender"])
    events = indicator("5.2", numerator="event.published", disaggregations=["party"])
    done = computation(2025, 2026)
    store(done, trained, {("", ""): 4, ("gender", "woman"): 4, ("gender", "man"): 0}, people=True)
    store(done, events, {("", ""): 2, ("party", "KE"): 1, ("party", "TZ"): 1})
    public = values.read(Indicator.objects.all(), BIENNIUM, dimensions=None).indicators
    assert public[0].total == Shown(None, SMALL)
    assert _cells(public[0]) == {"woman": Shown(None, SMALL), "man": Shown(0)}
    assert public[1].total == Shown(2) and _cells(public[1]) == {"KE": Shown(1), "TZ": Shown(1)}


def test_two_small_cells_hide_each_other_without_a_third(world: Any) -> None:
    trained = indicator("5.1", disaggregations=["gender"])
    store(
        computation(2025, 2026),
        trained,
        {("", ""): 30, ("gender", "woman"): 2, ("gender", "man"): 1, ("gender", "another"): 27},
        people=True,
    )
    public = values.read(Indicator.objects.all(), BIENNIUM, dimensions=None).indicators[0]
    assert _cells(public) == {"another": Shown(27), "man": Shown(None, SMALL), "woman": Shown(None, SMALL)}


def test_the_threshold_is_a_setting(world: Any, settings: Any) -> None:
    settings.MONITORING_PUBLIC_MIN_CELL = 10
    trained = indicator("5.1")
    store(computation(2025, 2026), trained, {("", ""): 8}, people=True)
    reading = values.read(Indicator.objects.all(), BIENNIUM)
    assert reading.indicators[0].total == Shown(None, SMALL)
    assert values.as_text(reading.indicators[0].total, reading.threshold) == "fewer than 10"


def test_a_manual_indicator_brings_its_approved_evidence(world: Any) -> None:
    entered = indicator("3.1", number=3, method=Method.MANUAL)
    ManualValue.objects.create(
        indicator=entered,
        period_start=2025,
        period_end=2026,
        value=12,
        evidence="Twelve NBSAPs cite the platform.",
        language="en",
        state=ManualValue.State.APPROVED,
        reviewed_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    store(computation(2025, 2026), entered, {("", ""): 12})
    found = values.read(Indicator.objects.all(), BIENNIUM).indicators[0]
    assert found.total == Shown(12)
    assert found.evidence is not None and found.evidence.evidence == "Twelve NBSAPs cite the platform."


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2025", Period.years(2025)),
        ("2025-2026", Period.years(2025, 2026)),
        ("2025-03-01/2025-06-30", Period(date(2025, 3, 1), date(2025, 6, 30))),
    ],
)
def test_periods_are_read_as_written_in_addresses(text: str, period: Period) -> None:
    assert values.parse_period(text) == period
    assert values.parse_period(str(period)) == period


@pytest.mark.parametrize(
    "text", ["", "twenty", "2026-2025", "2025-02-30/2025-03-01", "2025-06-01/2025-03-01"]
)
def test_a_period_that_cannot_be_read_is_refused_clearly(text: str) -> None:
    with pytest.raises(ValueError, match="Give the period"):
        values.parse_period(text)


def test_the_biennium_starts_in_an_odd_year() -> None:
    assert values.biennium(date(2026, 12, 6)) == Period.years(2025, 2026)
    assert values.biennium(date(2027, 1, 1)) == Period.years(2027, 2028)
