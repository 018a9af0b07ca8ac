"""Computing indicators from measures: totals, disaggregations, shares, activity-only counts,
cumulative counts, manual values and failures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from clearinghouse.monitoring import compute
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Method, Unit, Value
from clearinghouse.plan.models import Activity, Section
from clearinghouse.publishing.tests.testapp.models import Note

pytestmark = pytest.mark.django_db


def _activity(number: int) -> Activity:
    return Activity.objects.create(number=number, section=Section.CROSS_CUTTING, text_original="نشاط")


def _note(
    world: Any, when: datetime, *, country: Any, activity: Activity | None = None, live: bool = True
) -> Note:
    note = Note.objects.create(
        identifier=f"CB-NOTE-{country.code}-{Note.objects.count() + 1:06d}",
        owner_country=country,
        original_language="en",
        title={"en": "A note"},
        live=live,
        first_published_at=when,
    )
    if activity is not None:
        note.plan_activities.add(activity)
    return note


def _values(computation: Computation, code: str) -> dict[tuple[str, str], float | None]:
    return {
        (value.dimension, value.key): value.value
        for value in Value.objects.filter(computation=computation, indicator__code=code)
    }


def test_counts_in_the_period_by_party_and_only_for_the_activity(world: Any) -> None:
    first, fifth = _activity(1), _activity(5)
    inside = datetime(2025, 6, 1, tzinfo=UTC)
    _note(world, inside, country=world.kenya, activity=fifth)
    _note(world, inside, country=world.kenya)
    _note(world, inside, country=world.tanzania, activity=fifth)
    _note(world, datetime(2023, 6, 1, tzinfo=UTC), country=world.kenya, activity=fifth)  # before
    _note(world, inside, country=world.kenya, live=False)  # not public
    Indicator.objects.create(
        code="1.1",
        activity=first,
        area="plan",
        method=Method.COMPUTED,
        numerator="note.published",
        disaggregations=["party"],
    )
    Indicator.objects.create(
        code="5.1",
        activity=fifth,
        area="plan",
        method=Method.COMPUTED,
        numerator="note.published",
        activity_only=True,
    )
    Indicator.objects.create(
        code="5.2",
        activity=fifth,
        area="plan",
        method=Method.COMPUTED,
        numerator="note.published",
        cumulative=True,
    )
    computation = compute.compute(Period.years(2025, 2026))
    assert computation.state == Computation.State.DONE
    assert _values(computation, "1.1") == {("", ""): 3, ("party", "KE"): 2, ("party", "TZ"): 1}
    assert _values(computation, "5.1") == {("", ""): 2}
    assert _values(computation, "5.2") == {("", ""): 4}


def test_a_share_divides_by_the_denominator_and_a_zero_denominator_gives_no_value(world: Any) -> None:
    activity = _activity(8)
    Indicator.objects.create(
        code="8.1",
        activity=activity,
        area="plan",
        method=Method.COMPUTED,
        unit=Unit.SHARE,
        numerator="note.published",
        denominator="case.published",
        factor=100,
    )
    _note(world, datetime(2025, 3, 1, tzinfo=UTC), country=world.kenya)
    computation = compute.compute(Period.years(2025))
    assert _values(computation, "8.1") == {("", ""): None}


def test_a_manual_value_counts_once_approved(world: Any) -> None:
    activity = _activity(3)
    indicator = Indicator.objects.create(code="3.1", activity=activity, area="plan", method=Method.MANUAL)
    entered = ManualValue.objects.create(
        indicator=indicator, period_start=2025, period_end=2026, value=12, evidence="NBSAPs", language="en"
    )
    assert _values(compute.compute(Period.years(2025, 2026)), "3.1") == {}
    entered.state = ManualValue.State.APPROVED
    entered.reviewed_at = datetime(2026, 1, 5, tzinfo=UTC)
    entered.save()
    assert _values(compute.compute(Period.years(2025, 2026)), "3.1") == {("", ""): 12}


def test_an_unknown_measure_fails_the_computation_and_stores_nothing(world: Any) -> None:
    Indicator.objects.create(
        code="2.1", activity=_activity(2), area="plan", method=Method.COMPUTED, numerator="nothing.here"
    )
    with pytest.raises(LookupError):
        compute.compute(Period.years(2025))
    computation = Computation.objects.get()
    assert computation.state == Computation.State.FAILED
    assert "nothing.here" in computation.error
    assert not Value.objects.exists()
    assert compute.current(Period.years(2025)) is None


def test_periods_read_as_years_bienniums_or_days() -> None:
    assert str(Period.years(2025, 2026)) == "2025-2026"
    assert str(Period.years(2025)) == "2025"
    assert str(Period(date(2025, 3, 1), date(2025, 3, 31))) == "2025-03-01/2025-03-31"
    with pytest.raises(ValueError, match="ends after"):
        Period(date(2025, 3, 1), date(2025, 2, 1))
