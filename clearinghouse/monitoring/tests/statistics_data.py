"""Indicators and finished computations for the statistics tests: values stored as a computation
stores them, so each test states exactly the numbers it reads back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from clearinghouse.monitoring.models import Computation, Indicator, Method, Target, Value
from clearinghouse.plan.models import Activity, Section


def activity(number: int) -> Activity:
    found = Activity.objects.filter(number=number).first()
    return found or Activity.objects.create(
        number=number, section=Section.CROSS_CUTTING, text_original="نشاط"
    )


def indicator(code: str, *, number: int = 5, area: str = "events", **fields: Any) -> Indicator:
    fields.setdefault("method", Method.COMPUTED)
    if fields["method"] == Method.COMPUTED:
        fields.setdefault("numerator", "events.participants")
    fields.setdefault("names", {"en": f"People trained ({code})", "ar": f"الأشخاص المدربون ({code})"})
    return Indicator.objects.create(code=code, activity=activity(number), area=area, **fields)


def computation(first: int, last: int | None = None, *, finished: datetime | None = None) -> Computation:
    return Computation.objects.create(
        start=date(first, 1, 1),
        end=date(last or first, 12, 31),
        state=Computation.State.DONE,
        finished_at=finished or datetime(2026, 12, 1, tzinfo=UTC),
    )


def store(
    done: Computation, found: Indicator, cells: dict[tuple[str, str], float | None], *, people: bool = False
) -> None:
    Value.objects.bulk_create(
        Value(computation=done, indicator=found, dimension=dimension, key=key, value=value, people=people)
        for (dimension, key), value in cells.items()
    )


def target(found: Indicator, first: int, last: int, value: float) -> Target:
    return Target.objects.create(indicator=found, period_start=first, period_end=last, value=value)
