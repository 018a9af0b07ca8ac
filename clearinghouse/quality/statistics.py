"""The public quality statistics (page and API): the share of activities using the quality
standards, and participants' and users' average ratings by type and by region.

- An event or a course "uses the standards" when a checklist was started on it or one of its
  review rounds was judged. Counted over the public events and courses first published in the
  period (every one when the period is open).
- Ratings given in the period, by the type of what was rated (cooperations apart) and by the UN
  regional group of the person rating (their Party when they rated). An average of fewer than
  ``MIN_RATINGS`` ratings is not shown: it would say little, and could tell who gave it.
- Items judged in the period against a standard, and those meeting it.

Every figure is counted by the database: a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.geo.models import RegionalGroup
from clearinghouse.publishing import registry
from clearinghouse.quality.measures import COOPERATION, HIGH_RATING
from clearinghouse.quality.models import Checklist, Judgment, Rating, Review, ReviewStatus

# Averages of fewer ratings than this are not shown (as on the dashboard's lowest rated).
MIN_RATINGS = 3
# The activities whose share using the standards is counted, in the page's order.
ACTIVITIES = ("EVENT", "COURSE")
# The order the types of what is rated are listed in.
RATED_ORDER = ("EVENT", "COURSE", "RES", "OFFER", COOPERATION)


@dataclass(frozen=True)
class Period:
    """Whole days, both included, either open."""

    start: date | None = None
    end: date | None = None

    def between(self, field: str) -> Q:
        zone = timezone.get_current_timezone()
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": datetime.combine(self.start, time.min, tzinfo=zone)})
        if self.end is not None:
            until = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
            condition &= Q(**{f"{field}__lt": until})
        return condition


@dataclass(frozen=True)
class Use:
    """Of the activities of one type: how many, and how many use the standards."""

    key: str
    label: str
    total: int
    using: int

    @property
    def percent(self) -> float | None:
        return round(self.using * 100 / self.total, 1) if self.total else None


@dataclass(frozen=True)
class Average:
    key: str
    label: str
    count: int
    average: float | None
    high: int

    @property
    def shown(self) -> bool:
        return self.count >= MIN_RATINGS

    @property
    def high_percent(self) -> float | None:
        return round(self.high * 100 / self.count, 1) if self.shown else None


@dataclass(frozen=True)
class Report:
    period: Period
    uses: tuple[Use, ...]
    by_type: tuple[Average, ...]
    by_region: tuple[Average, ...]
    ratings: Average
    judged: int
    meets: int

    @property
    def using(self) -> Use:
        return Use(
            "all",
            _("Events and courses"),
            sum(use.total for use in self.uses),
            sum(use.using for use in self.uses),
        )


def _uses(period: Period) -> tuple[Use, ...]:
    checked = Checklist.objects.filter(identifier=OuterRef("identifier"))
    judged = Review.objects.filter(identifier=OuterRef("identifier"), status=ReviewStatus.JUDGED)
    found = []
    types = {record_type.code: record_type for record_type in registry.record_types()}
    for code in ACTIVITIES:
        record_type = types[code]
        counted = (
            record_type.live()
            .filter(period.between("first_published_at"))
            .aggregate(total=Count("pk"), using=Count("pk", filter=Q(Exists(checked)) | Q(Exists(judged))))
        )
        label = str(record_type.model._meta.verbose_name_plural).capitalize()
        found.append(Use(code, label, counted["total"], counted["using"]))
    return tuple(found)


def _average(key: str, label: str, row: dict[str, Any]) -> Average:
    count = int(row.get("count") or 0)
    average = row.get("average")
    shown = round(float(average), 1) if average is not None and count >= MIN_RATINGS else None
    return Average(key, label, count, shown, int(row.get("high") or 0))


def _type_labels() -> dict[str, str]:
    labels = {
        record_type.code: str(record_type.model._meta.verbose_name_plural).capitalize()
        for record_type in registry.record_types()
    }
    labels[COOPERATION] = _("Cooperations")
    return labels


def report(period: Period) -> Report:
    """Every figure of the statistics for the period."""
    rated = Rating.objects.filter(period.between("created_at"))
    figures = {
        "count": Count("pk"),
        "average": Avg("stars"),
        "high": Count("pk", filter=Q(stars__gte=HIGH_RATING)),
    }
    by_type: dict[str, dict[str, Any]] = {}
    for row in rated.values("record_type", "cooperation").annotate(**figures).order_by():
        # One row per cooperation rated: add them up under one key.
        key = COOPERATION if row["cooperation"] is not None else row["record_type"]
        summed = by_type.setdefault(key, {"count": 0, "stars": 0.0, "high": 0})
        summed["count"] += row["count"]
        summed["stars"] += row["average"] * row["count"]
        summed["high"] += row["high"]
    labels = _type_labels()
    types = tuple(
        _average(
            key,
            labels.get(key, key),
            {"count": row["count"], "average": row["stars"] / row["count"], "high": row["high"]},
        )
        for key, row in sorted(
            by_type.items(),
            key=lambda item: RATED_ORDER.index(item[0]) if item[0] in RATED_ORDER else len(RATED_ORDER),
        )
    )
    groups = {str(value): str(label) for value, label in RegionalGroup.choices}
    regions = sorted(
        (
            _average(
                row["country__regional_group"] or "",
                groups.get(row["country__regional_group"] or "", ""),
                row,
            )
            for row in rated.values("country__regional_group").annotate(**figures).order_by()
        ),
        key=lambda average: (average.key == "", average.label),
    )
    regions = [
        average if average.key else Average("", _("Not known"), average.count, average.average, average.high)
        for average in regions
    ]
    reviews = Review.objects.filter(status=ReviewStatus.JUDGED).filter(period.between("judged_at"))
    judged = reviews.aggregate(
        judged=Count("identifier", distinct=True),
        meets=Count("identifier", filter=Q(judgment=Judgment.MEETS), distinct=True),
    )
    return Report(
        period=period,
        uses=_uses(period),
        by_type=types,
        by_region=tuple(regions),
        ratings=_average("all", _("Every rating"), rated.aggregate(**figures)),
        judged=int(judged["judged"] or 0),
        meets=int(judged["meets"] or 0),
    )


def as_data(found: Report) -> dict[str, Any]:
    """The report as the API gives it."""

    def average(line: Average) -> dict[str, Any]:
        return {
            "key": line.key,
            "label": line.label,
            "ratings": line.count,
            "average": line.average,
            "high_percent": line.high_percent,
        }

    def use(line: Use) -> dict[str, Any]:
        return {
            "key": line.key,
            "label": line.label,
            "total": line.total,
            "using": line.using,
            "percent": line.percent,
        }

    return {
        "start": found.period.start,
        "end": found.period.end,
        "min_ratings": MIN_RATINGS,
        "using_standards": [use(line) for line in (*found.uses, found.using)],
        "ratings": average(found.ratings),
        "ratings_by_type": [average(line) for line in found.by_type],
        "ratings_by_region": [average(line) for line in found.by_region],
        "judged": found.judged,
        "meets": found.meets,
    }
