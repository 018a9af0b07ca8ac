"""Reading indicators' values for a period: the one function the statistics pages, the API and the
downloads share, so the three always show the same numbers.

The values are those of the period's current computation (``compute.current``), with the targets
set for that period, the baseline, and a trend: the current computation of each calendar year
from the first year ever computed to the period's last year.

Privacy: a count of people (``Value.people``) under ``MONITORING_PUBLIC_MIN_CELL`` (5 unless
set) but above zero is shown to the public as "fewer than 5"; totals too. When only one cell of
a disaggregation is hidden and the total is shown, subtracting the other cells from the total
would give it back: the next smallest cell is withheld as well (complementary suppression). The
Secretariat reads exact values, marked as not public. Zeros are shown: they tell no one's story.

A reading costs a fixed number of queries whatever the number of indicators: the indicators, the
computation, its values, the targets, the trend's computations and values, the evidence of manual
values, and one query per disaggregation for the names of its values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clearinghouse.core.languages import pick_label
from clearinghouse.monitoring.compute import TOTAL, Period, current
from clearinghouse.monitoring.labels import dimension_label, key_labels
from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Method, Target, Value

SMALL = "small"  # a count of people under the threshold
WITHHELD = "withheld"  # hidden so that a small cell cannot be recovered by subtraction


def min_cell() -> int:
    return int(settings.MONITORING_PUBLIC_MIN_CELL)


@dataclass(frozen=True)
class Shown:
    """A value as one reader may see it: ``value`` is None when it is hidden from them or there
    is none; ``hidden`` says why it is not public (the Secretariat sees the value beside it)."""

    value: float | None
    hidden: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    shown: Shown


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class YearValue:
    year: int
    shown: Shown
    computed: bool


@dataclass(frozen=True)
class IndicatorValues:
    indicator: Indicator
    name: str
    total: Shown
    # Whether the computation holds a value for it (a manual value may not be approved yet).
    has_value: bool
    target: float | None
    trend: tuple[YearValue, ...]
    breakdowns: tuple[Breakdown, ...]
    evidence: ManualValue | None

    @property
    def reason(self) -> str:
        return pick_label(self.indicator.reasons)

    @property
    def definition(self) -> str:
        return pick_label(self.indicator.definitions)


@dataclass(frozen=True)
class Reading:
    period: Period
    computation: Computation | None
    indicators: tuple[IndicatorValues, ...]
    exact: bool
    threshold: int

    @property
    def computed(self) -> bool:
        return self.computation is not None


# --- periods -------------------------------------------------------------------------------------

_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
_DAYS = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """A period as written in addresses: "2025", "2025-2026" or "2025-03-01/2025-06-30"."""
    text = text.strip()
    try:
        years = _YEARS.match(text)
        if years:
            return Period.years(int(years[1]), int(years[2]) if years[2] else None)
        days = _DAYS.match(text)
        if days:
            return Period(date.fromisoformat(days[1]), date.fromisoformat(days[2]))
    except ValueError:
        pass
    raise ValueError(
        _("Give the period as a year (2025), two years (2025-2026) or two dates (2025-03-01/2025-06-30).")
    )


def biennium(today: date) -> Period:
    """The biennium a day falls in: the Convention's bienniums start in odd years."""
    first = today.year if today.year % 2 else today.year - 1
    return Period.years(first, first + 1)


def computed_periods() -> list[Period]:
    """Every period with a finished computation, longest-ago last: what the filters offer."""
    spans = (
        Computation.objects.filter(state=Computation.State.DONE)
        .values_list("start", "end")
        .distinct()
        .order_by("-end", "start")
    )
    return [Period(start, end) for start, end in spans]


# --- privacy -------------------------------------------------------------------------------------


def _shown(value: float | None, people: bool, *, exact: bool, threshold: int) -> Shown:
    if not people or value is None or value == 0 or value >= threshold:
        return Shown(value)
    return Shown(value if exact else None, SMALL)


def _suppress(rows: list[Row], total: Shown, *, exact: bool) -> list[Row]:
    """Withhold the next smallest cell when a single hidden cell could be recovered from the
    total."""
    if total.hidden or sum(1 for row in rows if row.shown.hidden) != 1:
        return rows
    candidates = [row for row in rows if not row.shown.hidden and row.shown.value is not None]
    if not candidates:
        return rows
    smallest = min(candidates, key=lambda row: (row.shown.value or 0, row.key))
    return [
        Row(row.key, row.label, Shown(row.shown.value if exact else None, WITHHELD))
        if row is smallest
        else row
        for row in rows
    ]


# --- reading -------------------------------------------------------------------------------------


def _targets(ids: list[int], period: Period) -> dict[int, float]:
    years = period.whole_years
    if years is None or not ids:
        return {}
    return dict(
        Target.objects.filter(indicator_id__in=ids, period_start=years[0], period_end=years[1]).values_list(
            "indicator_id", "value"
        )
    )


def _trend_computations(period: Period) -> dict[int, int]:
    """{year: its current computation} for the calendar years up to the period's last year."""
    found: dict[int, int] = {}
    spans = (
        Computation.objects.filter(
            state=Computation.State.DONE,
            start__month=1,
            start__day=1,
            end__month=12,
            end__day=31,
            end__year__lte=period.end.year,
        )
        .order_by("-finished_at", "-pk")
        .values_list("pk", "start", "end")
    )
    for pk, start, end in spans:
        if start.year == end.year:
            found.setdefault(start.year, pk)
    return found


def _evidence(indicators: Sequence[Indicator], period: Period) -> dict[int, ManualValue]:
    years = period.whole_years
    manual = [indicator.pk for indicator in indicators if indicator.method == Method.MANUAL]
    if years is None or not manual:
        return {}
    found: dict[int, ManualValue] = {}
    entered = ManualValue.objects.filter(
        indicator_id__in=manual,
        state=ManualValue.State.APPROVED,
        period_start=years[0],
        period_end=years[1],
    ).order_by("-reviewed_at", "-pk")
    for value in entered:
        found.setdefault(value.indicator_id, value)
    return found


def read(
    indicators: QuerySet[Indicator] | Iterable[Indicator],
    period: Period,
    *,
    exact: bool = False,
    dimensions: Collection[str] | None = (),
    trend: bool = True,
    language: str | None = None,
) -> Reading:
    """The values of the indicators for the period, as a reader sees them (``exact``: the
    Secretariat). ``dimensions``: the disaggregations to read (None: each indicator's own)."""
    if isinstance(indicators, QuerySet):
        indicators = indicators.select_related("activity", "item")
    chosen = list(indicators)
    ids = [indicator.pk for indicator in chosen]
    threshold = min_cell()
    computation = current(period)
    values: dict[int, list[Value]] = {}
    if computation is not None and ids:
        wanted = Value.objects.filter(computation=computation, indicator_id__in=ids)
        if dimensions is not None:
            wanted = wanted.filter(dimension__in=[TOTAL, *dimensions])
        for value in wanted.order_by("indicator_id", "dimension", "key"):
            values.setdefault(value.indicator_id, []).append(value)
    targets = _targets(ids, period)
    trends: dict[int, dict[int, Value]] = {}
    years: list[int] = []
    if trend and ids:
        by_year = _trend_computations(period)
        if by_year:
            years = list(range(min(by_year), period.end.year + 1))
            year_of = {pk: year for year, pk in by_year.items()}
            totals = Value.objects.filter(
                computation_id__in=list(year_of), indicator_id__in=ids, dimension=TOTAL
            )
            for value in totals:
                trends.setdefault(value.indicator_id, {})[year_of[value.computation_id]] = value
    evidence = _evidence(chosen, period)
    # The names of every disaggregation's values, one query per disaggregation.
    keys: dict[str, set[str]] = {}
    for found in values.values():
        for value in found:
            if value.dimension:
                keys.setdefault(value.dimension, set()).add(value.key)
    names = {dimension: key_labels(dimension, found, language) for dimension, found in keys.items()}

    def show(value: Value | None) -> Shown:
        if value is None:
            return Shown(None)
        return _shown(value.value, value.people, exact=exact, threshold=threshold)

    read_values = []
    for indicator in chosen:
        found = values.get(indicator.pk, [])
        total_value = next((value for value in found if not value.dimension), None)
        total = show(total_value)
        breakdowns = []
        for dimension in indicator.disaggregations:
            if dimensions is not None and dimension not in dimensions:
                continue
            cells = [value for value in found if value.dimension == dimension]
            if not cells:
                continue
            rows = [Row(cell.key, names[dimension].get(cell.key, cell.key), show(cell)) for cell in cells]
            rows = _suppress(rows, total, exact=exact)
            # Largest first; hidden cells last, in the order of their names, so the order tells
            # nothing about them.
            rows.sort(
                key=lambda row: (
                    bool(row.shown.hidden),
                    -(row.shown.value or 0) if not row.shown.hidden else 0,
                    row.label,
                )
            )
            breakdowns.append(Breakdown(dimension, dimension_label(dimension), tuple(rows)))
        year_values = trends.get(indicator.pk, {})
        read_values.append(
            IndicatorValues(
                indicator=indicator,
                name=pick_label(indicator.texts, language) or indicator.code,
                total=total,
                has_value=total_value is not None,
                target=targets.get(indicator.pk),
                trend=tuple(
                    YearValue(year, show(year_values.get(year)), year in year_values) for year in years
                ),
                breakdowns=tuple(breakdowns),
                evidence=evidence.get(indicator.pk),
            )
        )
    return Reading(period, computation, tuple(read_values), exact, threshold)


# --- as a table (downloads) ------------------------------------------------------------------------


def _number(value: float | None) -> float | int | None:
    """Whole numbers without a decimal point, as people write counts."""
    return int(value) if value is not None and value == int(value) else value


def as_text(shown: Shown, threshold: int) -> str:
    """A value as a file shows it: the number, or why it is not shown."""
    if shown.value is not None:
        return str(_number(shown.value))
    if shown.hidden == SMALL:
        return _("fewer than %(count)s") % {"count": threshold}
    if shown.hidden == WITHHELD:
        return _("not shown")
    return ""


def table(reading: Reading) -> list[list[Any]]:
    """One row per total and per cell of each disaggregation, with a heading row."""
    rows: list[list[Any]] = [
        [
            _("Indicator"),
            _("Name"),
            _("Period"),
            _("Disaggregation"),
            _("Value of the disaggregation"),
            _("Value"),
            _("Not public"),
            _("Unit"),
            _("Target"),
            _("Baseline year"),
            _("Baseline"),
        ]
    ]
    for found in reading.indicators:
        indicator = found.indicator
        common = [indicator.get_unit_display() + (f" ({indicator.currency})" if indicator.currency else "")]
        extra = [_number(found.target), indicator.baseline_year, _number(indicator.baseline_value)]
        cells = [(_("Total"), "", found.total)] + [
            (breakdown.label, row.label, row.shown)
            for breakdown in found.breakdowns
            for row in breakdown.rows
        ]
        for dimension, key, shown in cells:
            rows.append(
                [
                    indicator.code,
                    found.name,
                    str(reading.period),
                    dimension,
                    key,
                    as_text(shown, reading.threshold),
                    _("yes") if shown.hidden and shown.value is not None else "",
                    *common,
                    *extra,
                ]
            )
    return rows
