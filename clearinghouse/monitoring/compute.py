"""Computing indicators for a period from the measures the apps declare.

A measure is counted once per period, disaggregation and activity filter, and shared by every
indicator that reads it. Values are written as one computation, atomically: a reader sees the
previous computation until the new one is whole.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Method, Value
from clearinghouse.publishing.registry import Measure, measures

TOTAL = ""


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included: a year, a biennium or any range."""

    start: date
    end: date

    @classmethod
    def years(cls, first: int, last: int | None = None) -> Period:
        return cls(date(first, 1, 1), date(last or first, 12, 31))

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends after it starts")

    def __str__(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}-{self.end.year}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def whole_years(self) -> tuple[int, int] | None:
        """(first, last) year when the period is whole calendar years."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return self.start.year, self.end.year
        return None

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes: the period's first instant and the instant after its last day."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.start, time.min, tzinfo=zone)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
        return start, end


def _in_period(measure: Measure, period: Period, *, cumulative: bool) -> Q:
    start, end = period.bounds()
    date_only = is_date_only(measure.rows().model, measure.date)
    upper = (period.end + timedelta(days=1)) if date_only else end
    condition = Q(**{f"{measure.date}__lt": upper})
    if measure.until:
        # Rows that still held at the period's end: ended after its last day, or not ended.
        return condition & (Q(**{f"{measure.until}__isnull": True}) | Q(**{f"{measure.until}__gte": upper}))
    if measure.window_days:
        # A state at the period's end: the same window for a year, a biennium or any range.
        window = timedelta(days=measure.window_days)
        return condition & Q(**{f"{measure.date}__gte": upper - window})
    if not cumulative:
        lower = period.start if date_only else start
        condition &= Q(**{f"{measure.date}__gte": lower})
    return condition


def is_date_only(model: type[models.Model], path: str) -> bool:
    """Whether the path ends at a DateField (compared with dates) rather than a DateTimeField."""
    parts = path.split("__")
    for name in parts[:-1]:
        related = model._meta.get_field(name).related_model
        if not isinstance(related, type):
            return False
        model = related
    field = model._meta.get_field(parts[-1])
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def measure_values(
    measure: Measure,
    period: Period,
    *,
    dimension: str = TOTAL,
    cumulative: bool = False,
    activity: int | None = None,
    currency: str = "",
) -> dict[str, float]:
    """The measure over the period: {"": total} or {dimension value: value}, in as few queries
    as the aggregate allows (one; a median reads the durations)."""
    rows: QuerySet[Any] = measure.rows().filter(_in_period(measure, period, cumulative=cumulative))
    if activity is not None:
        if not measure.knows_activities:
            return {}
        rows = rows.filter(measure.for_activity(activity))
    if measure.aggregate == "distinct" and measure.at_least is not None:
        members, least = measure.at_least
        enough = (
            rows.values(measure.of)
            .annotate(_least=Count(members, distinct=True))
            .filter(_least__gte=least)
            .order_by()
            .values(measure.of)
        )
        rows = rows.filter(**{f"{measure.of}__in": enough})
    if measure.aggregate == "sum" and measure.currency:
        rows = rows.filter(**{measure.currency: currency})
    if dimension:
        path = measure.dimensions.get(dimension)
        if path is None:
            raise KeyError(f"{measure.code} has no dimension {dimension!r}")
        rows = rows.annotate(_key=F(path) if isinstance(path, str) else path)
        group: tuple[str, ...] = ("_key",)
    else:
        group = ()
    if measure.aggregate == "median_days":
        return _medians(rows, measure, group)
    aggregate = {
        "count": Count("pk", distinct=True),
        "distinct": Count(measure.of, distinct=True),
        "sum": Sum(measure.of),
    }[measure.aggregate]
    if not group:
        total = rows.aggregate(value=aggregate)["value"]
        return {TOTAL: float(total or 0)}
    # An empty value and a missing one (NULL) are both "no value": their groups add up.
    found: dict[str, float] = {}
    for row in rows.values(*group).annotate(value=aggregate).order_by():
        key = str(row["_key"] or "")
        found[key] = found.get(key, 0.0) + float(row["value"] or 0)
    return found


def _medians(rows: QuerySet[Any], measure: Measure, group: tuple[str, ...]) -> dict[str, float]:
    durations: dict[str, list[float]] = {}
    spans = rows.annotate(_end=F(measure.date), _start=F(measure.of)).values(*group, "_end", "_start")
    for row in spans:
        if row["_end"] is None or row["_start"] is None:
            continue
        key = str(row.get("_key") or "") if group else TOTAL
        durations.setdefault(key, []).append((row["_end"] - row["_start"]).total_seconds() / 86400)
    return {key: round(statistics.median(days), 1) for key, days in durations.items()}


class Cache:
    """Measure values already counted in this computation, shared by the indicators."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.catalogue = measures()
        self._values: dict[tuple[Any, ...], dict[str, float]] = {}

    def get(
        self, code: str, *, dimension: str, cumulative: bool, activity: int | None, currency: str
    ) -> dict[str, float]:
        key = (code, dimension, cumulative, activity, currency)
        if key not in self._values:
            measure = self.catalogue[code]
            self._values[key] = measure_values(
                measure,
                self.period,
                dimension=dimension,
                cumulative=cumulative,
                activity=activity,
                currency=currency,
            )
        return self._values[key]


@dataclass(frozen=True)
class Cell:
    dimension: str
    key: str
    numerator: float | None
    denominator: float | None
    value: float | None
    people: bool


def indicator_cells(indicator: Indicator, cache: Cache) -> list[Cell]:
    """The total and every disaggregated cell of a computed indicator."""
    numerator = cache.catalogue.get(indicator.numerator)
    if numerator is None:
        raise LookupError(f"{indicator.code}: no measure {indicator.numerator!r}")
    denominator = cache.catalogue.get(indicator.denominator) if indicator.denominator else None
    if indicator.denominator and denominator is None:
        raise LookupError(f"{indicator.code}: no measure {indicator.denominator!r}")
    activity = indicator.activity.number if indicator.activity_only else None

    def counted(code: str, dimension: str) -> dict[str, float]:
        return cache.get(
            code,
            dimension=dimension,
            cumulative=indicator.cumulative,
            activity=activity,
            currency=indicator.currency,
        )

    cells: list[Cell] = []
    for dimension in (TOTAL, *indicator.disaggregations):
        if dimension and dimension not in numerator.dimensions:
            continue
        tops = counted(numerator.code, dimension)
        if denominator is not None:
            # A denominator without this breakdown divides every cell by its total.
            split = dimension if (not dimension or dimension in denominator.dimensions) else TOTAL
            bottoms = counted(denominator.code, split)
        else:
            bottoms = {}
        keys = [TOTAL] if not dimension else sorted(tops)
        for key in keys:
            top = tops.get(key, 0.0)
            bottom: float | None = None
            if denominator is not None:
                bottom = bottoms.get(key if split else TOTAL, 0.0)
            value = (
                _divide(top, bottom, indicator.factor) if denominator is not None else top * indicator.factor
            )
            cells.append(Cell(dimension, key, top, bottom, value, numerator.people))
    return cells


def _divide(top: float, bottom: float | None, factor: int) -> float | None:
    if not bottom:
        return None
    return round(top / bottom * factor, 2)


def manual_cells(indicator: Indicator, period: Period) -> list[Cell]:
    """The approved value entered for exactly this period (years), the latest approved one."""
    years = period.whole_years
    if years is None:
        return []
    entered = (
        ManualValue.objects.filter(
            indicator=indicator,
            state=ManualValue.State.APPROVED,
            period_start=years[0],
            period_end=years[1],
        )
        .order_by("-reviewed_at", "-pk")
        .first()
    )
    if entered is None:
        return []
    return [Cell(TOTAL, TOTAL, None, None, entered.value, False)]


@transaction.atomic
def _store(computation: Computation, cells: Mapping[Indicator, Iterable[Cell]]) -> None:
    Value.objects.bulk_create(
        [
            Value(
                computation=computation,
                indicator=indicator,
                dimension=cell.dimension,
                key=cell.key,
                numerator=cell.numerator,
                denominator=cell.denominator,
                value=cell.value,
                people=cell.people,
            )
            for indicator, found in cells.items()
            for cell in found
        ],
        batch_size=1000,
    )
    computation.state = Computation.State.DONE
    computation.finished_at = timezone.now()
    computation.save(update_fields=["state", "finished_at"])


def run(computation: Computation) -> Computation:
    """Compute every indicator for the computation's period and store the values. A failure is
    recorded on the computation (its values are not half-written)."""
    period = Period(computation.start, computation.end)
    computation.state = Computation.State.RUNNING
    computation.started_at = timezone.now()
    computation.save(update_fields=["state", "started_at"])
    cache = Cache(period)
    cells: dict[Indicator, list[Cell]] = {}
    try:
        for indicator in Indicator.objects.select_related("activity"):
            if indicator.method == Method.COMPUTED:
                cells[indicator] = indicator_cells(indicator, cache)
            elif indicator.method == Method.MANUAL:
                cells[indicator] = manual_cells(indicator, period)
        _store(computation, cells)
    except Exception as error:
        computation.state = Computation.State.FAILED
        computation.error = str(error)[:2000]
        computation.finished_at = timezone.now()
        computation.save(update_fields=["state", "error", "finished_at"])
        raise
    return computation


def compute(period: Period, *, by: Any = None) -> Computation:
    """Compute the period now (the command, the worker's job and tests call this)."""
    computation = Computation.objects.create(start=period.start, end=period.end, requested_by=by)
    return run(computation)


def current(period: Period) -> Computation | None:
    """The latest finished computation of exactly this period."""
    return (
        Computation.objects.filter(start=period.start, end=period.end, state=Computation.State.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )
