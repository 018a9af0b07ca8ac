"""The help desk's figures for monitoring, over the tickets opened in a period, on some desks:
tickets by channel, desk, topic, Party, region, language and status; first-response and
resolution times and the share within target; satisfaction; the Parties assisted each year (the
annex's indicator "trends in the number of Parties assisted through the help desk"); tickets that
became matchmaking cases; FAQ entries published.

Pure functions of a ``Filters``; every figure is counted by the database, in a fixed number of
queries whatever the number of tickets. Merged tickets are left out: their messages live on in
the ticket they went into, and counting them would count one question twice.

Times are wall-clock (from opening to the first reply, and to closing): the median and 90th
percentile are read by the database in order (nearest rank), which business hours per desk would
not allow without reading every ticket. Whether a ticket met its targets is judged against its
due times, which are already counted in its desk's business hours, less the time spent waiting
for the requester.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES, pick_label
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.helpdesk.models import Channel, Desk, FaqEntry, HelpTopic, Status, Ticket

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Filters:
    """Tickets opened from ``start`` to ``end`` (whole days, inclusive; either may be open) on
    ``desks`` (None: every desk)."""

    start: date | None = None
    end: date | None = None
    desks: Collection[int] | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as instants in the site's time zone: from the start of ``start`` to the
        start of the day after ``end``."""
        zone = timezone.get_current_timezone()
        begin = datetime.combine(self.start, time.min, tzinfo=zone) if self.start else None
        until = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone) if self.end else None
        return begin, until


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int
    # Share of the table's largest count (0–100), for the bar beside the figure.
    bar: int = 0

    @property
    def bar_start(self) -> int:
        """Where a right-to-left bar starts (an SVG's coordinates do not mirror)."""
        return 100 - self.bar


@dataclass(frozen=True)
class Breakdown:
    name: str
    label: str
    rows: tuple[Row, ...]
    total: int


@dataclass(frozen=True)
class Timing:
    """One service-level measure: how long it took, and how often within target."""

    name: str
    label: str
    # Tickets that reached it (answered, or closed).
    count: int
    median: timedelta | None
    p90: timedelta | None
    # Tickets whose target is decided: reached, or overdue without being reached.
    judged: int
    within_target: int

    @property
    def share_within_target(self) -> float | None:
        return round(100 * self.within_target / self.judged, 1) if self.judged else None


@dataclass(frozen=True)
class Satisfaction:
    rated: int
    average: Decimal | None
    # (rating, how many) for 1 to 5, including the ratings nobody gave.
    distribution: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Report:
    filters: Filters
    total: int
    breakdowns: tuple[Breakdown, ...]
    timings: tuple[Timing, ...]
    satisfaction: Satisfaction
    # (year, distinct Parties that asked), oldest first.
    parties_by_year: tuple[tuple[int, int], ...]
    parties_assisted: int
    to_matchmaking: int
    faq_published: int


def tickets(filters: Filters) -> QuerySet[Ticket]:
    """The tickets counted: opened in the period, on the desks, not merged into another."""
    begin, until = filters.bounds()
    found = Ticket.objects.exclude(status=Status.MERGED)
    if begin is not None:
        found = found.filter(created_at__gte=begin)
    if until is not None:
        found = found.filter(created_at__lt=until)
    if filters.desks is not None:
        found = found.filter(desk_id__in=list(filters.desks))
    return found


# --- counts by dimension ----------------------------------------------------------------------------

# Dimension -> (its heading, the ORM path it is counted by).
DIMENSIONS: dict[str, tuple[object, str]] = {
    "channel": (_("By channel"), "channel"),
    "desk": (_("By desk"), "desk__code"),
    "topic": (_("By topic"), "topic__code"),
    "party": (_("By Party"), "country__code"),
    "region": (_("By region"), "country__regional_group"),
    "language": (_("By language"), "language"),
    "status": (_("By status"), "status"),
}


def counts(found: QuerySet[Ticket], dimension: str) -> dict[str, int]:
    """{value: tickets} for one dimension, in one query; "" for tickets without a value."""
    path = DIMENSIONS[dimension][1]
    rows = found.values(path).annotate(tickets=Count("pk")).order_by()
    return {str(row[path] or ""): int(row["tickets"]) for row in rows}


def _labels(dimension: str, codes: Iterable[str]) -> dict[str, str]:
    """The values' names in the active language (one query for desks, topics and Parties)."""
    codes = [code for code in codes if code]
    if dimension == "channel":
        return {str(value): str(label) for value, label in Channel.choices}
    if dimension == "status":
        return {str(value): str(label) for value, label in Status.choices}
    if dimension == "language":
        return {str(value): str(label) for value, label in LANGUAGE_CHOICES}
    if dimension == "region":
        return {str(value): str(label) for value, label in RegionalGroup.choices}
    if dimension == "desk":
        return {desk.code: str(desk) for desk in Desk.objects.filter(code__in=codes)}
    if dimension == "topic":
        return {
            topic.code: pick_label(topic.name) or topic.code
            for topic in HelpTopic.objects.filter(code__in=codes)
        }
    if dimension == "party":
        return {country.code: country.name() for country in Country.objects.filter(code__in=codes)}
    return {}


def breakdown(found: QuerySet[Ticket], dimension: str) -> Breakdown:
    """One table: the tickets by the dimension's values, most first, the ones without a value
    last."""
    counted = counts(found, dimension)
    names = _labels(dimension, counted)
    largest = max(counted.values(), default=0) or 1
    unknown = str(_("Not known"))
    rows = sorted(
        (
            Row(code, names.get(code, code) if code else unknown, count, round(100 * count / largest))
            for code, count in counted.items()
        ),
        key=lambda row: (row.key == "", -row.count, row.label),
    )
    return Breakdown(dimension, str(DIMENSIONS[dimension][0]), tuple(rows), sum(counted.values()))


# --- times against targets ----------------------------------------------------------------------------


def _nearest_rank(durations: QuerySet[Any], count: int, share: float) -> timedelta | None:
    """The duration below which ``share`` of the ``count`` durations fall (nearest rank), read by
    the database from the ordered durations: one query."""
    if count == 0:
        return None
    rank = max(math.ceil(share * count), 1) - 1
    duration = F("duration")
    found = list(durations.order_by(duration.asc()).values_list(duration, flat=True)[rank : rank + 1])
    return found[0] if found else None


def timing(found: QuerySet[Ticket], name: str, now: datetime) -> Timing:
    """First response (``first_response_at``) or resolution (``closed_at``): the median and 90th
    percentile of the wall-clock time from opening, and the share within target."""
    done, due, label = (
        ("first_response_at", "first_response_due", _("First response"))
        if name == "first_response"
        else ("closed_at", "resolution_due", _("Resolution"))
    )
    reached_q = Q(first_response_at__isnull=False) if name == "first_response" else Q(status=Status.CLOSED)
    figures = found.aggregate(
        reached=Count("pk", filter=reached_q),
        within=Count("pk", filter=reached_q & Q(**{f"{done}__lte": F(due)})),
        # Decided: reached with a target, or not reached and already past its due time.
        judged=Count(
            "pk",
            filter=(reached_q & Q(**{f"{due}__isnull": False})) | (~reached_q & Q(**{f"{due}__lt": now})),
        ),
    )
    reached = found.filter(reached_q)
    durations = reached.annotate(
        duration=ExpressionWrapper(F(done) - F("created_at"), output_field=DurationField())
    )
    count = int(figures["reached"])
    return Timing(
        name=name,
        label=str(label),
        count=count,
        median=_nearest_rank(durations, count, 0.5),
        p90=_nearest_rank(durations, count, 0.9),
        judged=int(figures["judged"]),
        within_target=int(figures["within"]),
    )


# --- satisfaction, Parties, cases, FAQ ----------------------------------------------------------------


def satisfaction(found: QuerySet[Ticket]) -> Satisfaction:
    rated = found.filter(satisfaction__isnull=False)
    summary = rated.aggregate(rated=Count("pk"), average=Avg("satisfaction"))
    by_rating = dict(rated.values_list("satisfaction").annotate(tickets=Count("pk")).order_by())
    average = summary["average"]
    return Satisfaction(
        rated=int(summary["rated"]),
        average=Decimal(str(average)).quantize(Decimal("0.01")) if average is not None else None,
        distribution=tuple((rating, int(by_rating.get(rating, 0))) for rating in RATINGS),
    )


def parties_by_year(found: QuerySet[Ticket]) -> tuple[tuple[int, int], ...]:
    """Distinct Parties whose tickets were opened each year (the year in the site's time zone)."""
    rows = (
        found.filter(country__isnull=False)
        .annotate(year=ExtractYear("created_at"))
        .values("year")
        .annotate(parties=Count("country", distinct=True))
        .order_by("year")
    )
    return tuple((int(row["year"]), int(row["parties"])) for row in rows)


def faq_published(filters: Filters) -> int:
    """FAQ entries first published in the period (kept from the desks' tickets, when desks are
    chosen)."""
    begin, until = filters.bounds()
    entries = FaqEntry.objects.filter(live=True)
    if begin is not None:
        entries = entries.filter(first_published_at__gte=begin)
    if until is not None:
        entries = entries.filter(first_published_at__lt=until)
    if filters.desks is not None:
        entries = entries.filter(source_ticket__desk_id__in=list(filters.desks))
    return entries.count()


def report(filters: Filters, now: datetime | None = None) -> Report:
    """Every figure of the statistics page, the CSV and the API."""
    now = now or timezone.now()
    found = tickets(filters)
    return Report(
        filters=filters,
        total=found.count(),
        breakdowns=tuple(breakdown(found, dimension) for dimension in DIMENSIONS),
        timings=(timing(found, "first_response", now), timing(found, "resolution", now)),
        satisfaction=satisfaction(found),
        parties_by_year=parties_by_year(found),
        parties_assisted=found.filter(country__isnull=False).values("country").distinct().count(),
        to_matchmaking=found.filter(case__isnull=False).count(),
        faq_published=faq_published(filters),
    )


def hours(duration: timedelta | None) -> float | None:
    """A duration in hours, to one decimal (for tables, the CSV and the API)."""
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def _blank(value: object) -> object:
    return "" if value is None else value


def csv_rows(found: Report) -> Sequence[Sequence[object]]:
    """The report as rows of one CSV table: section, item, figure."""
    rows: list[Sequence[object]] = [
        (str(_("Section")), str(_("Item")), str(_("Figure"))),
        (str(_("Tickets")), str(_("Total")), found.total),
    ]
    for table in found.breakdowns:
        rows += [(table.label, row.label, row.count) for row in table.rows]
    for measure in found.timings:
        rows += [
            (measure.label, str(_("Tickets")), measure.count),
            (measure.label, str(_("Median (hours)")), _blank(hours(measure.median))),
            (measure.label, str(_("90th percentile (hours)")), _blank(hours(measure.p90))),
            (measure.label, str(_("Within target")), measure.within_target),
            (measure.label, str(_("Judged against a target")), measure.judged),
        ]
    rating = found.satisfaction
    rows += [
        (str(_("Satisfaction")), str(_("Rated")), rating.rated),
        (str(_("Satisfaction")), str(_("Average")), _blank(rating.average)),
    ]
    rows += [(str(_("Satisfaction")), str(score), count) for score, count in rating.distribution]
    rows += [(str(_("Parties assisted")), str(year), parties) for year, parties in found.parties_by_year]
    rows += [
        (str(_("Parties assisted")), str(_("Total")), found.parties_assisted),
        (str(_("Matchmaking")), str(_("Tickets that became matchmaking cases")), found.to_matchmaking),
        (str(_("FAQ")), str(_("FAQ entries published")), found.faq_published),
    ]
    return rows
