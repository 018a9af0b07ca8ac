"""The Secretariat's quality dashboard: what is under review (open rounds, reviews pending and
overdue), checklists not completed, the lowest rated items (with at least ``MIN_RATINGS``
ratings), trends by quarter (ratings given, reviews judged), and counts by kind and by region;
and the same figures as rows for its CSV download.

Read by quality staff only (``items.runs_quality``, checked in the view): the figures are
exact, and items are named whatever their state. Every figure is counted by the database: the
page costs a fixed number of queries whatever the number of items (the items' titles come from
one query per record type).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import RegionalGroup
from clearinghouse.matchmaking.models import Cooperation
from clearinghouse.publishing import registry
from clearinghouse.quality.measures import HIGH_RATING, owner_value
from clearinghouse.quality.models import (
    AppliesTo,
    Assignment,
    AssignmentStatus,
    Checklist,
    Judgment,
    Rating,
    Review,
    ReviewStatus,
    StepState,
)

# Fewer ratings than this say little about an item: it is not listed among the lowest rated.
MIN_RATINGS = 3
LOWEST = 10
# Open rounds and incomplete checklists listed, oldest first (the rest are counted).
LISTED = 50


@dataclass(frozen=True)
class Named:
    """An item as the dashboard names it: its title in the reader's language, its page and type."""

    key: str
    # The title as text (the CSV's), and the titles in their languages for pages ({% shown %}).
    title: str
    url: str
    type_label: str
    titles: Mapping[str, str] = field(default_factory=dict)
    original: str = ""


def named_items(identifiers: Iterable[str], language: str | None = None) -> dict[str, Named]:
    """The items with these identifiers, one query per record type; identifiers of records that
    are gone are named by themselves."""
    found: dict[str, Named] = {}
    wanted = [identifier for identifier in identifiers if identifier]
    for record in registry.find_many(wanted).values():
        record_type = registry.of(record)
        titles = getattr(record, "title", None)
        title = show(titles if isinstance(titles, dict) else {}, record.original_language, language)
        found[record.identifier] = Named(
            record.identifier,
            title.text or record.identifier,
            record_type.url(record),
            str(record_type.label),
            titles if isinstance(titles, dict) else {},
            record.original_language,
        )
    for identifier in wanted:
        found.setdefault(identifier, Named(identifier, identifier, "", ""))
    return found


@dataclass(frozen=True)
class OpenRound:
    review: Review
    item: Named
    assigned: int
    submitted: int
    declined: int
    overdue: bool

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted - self.declined

    @property
    def ready(self) -> bool:
        """Enough reviews for a judgment."""
        return self.submitted >= self.review.standard.min_reviews


@dataclass(frozen=True)
class OpenChecklist:
    checklist: Checklist
    item: Named
    done: int
    set_aside: int
    total: int

    @property
    def percent(self) -> int:
        return round((self.done + self.set_aside) * 100 / self.total) if self.total else 0


@dataclass(frozen=True)
class Rated:
    item: Named
    average: float
    count: int


@dataclass(frozen=True)
class Quarter:
    label: str
    ratings: int
    average: float | None
    high: int
    judged: int
    meets: int
    needs_changes: int
    does_not_meet: int


@dataclass(frozen=True)
class KindRow:
    key: str
    label: str
    under_review: int
    judged: int
    meets: int
    checklists: int
    checklists_completed: int


@dataclass(frozen=True)
class RegionRow:
    key: str
    label: str
    judged: int
    meets: int
    checklists_completed: int
    ratings: int
    average: float | None


@dataclass(frozen=True)
class Dashboard:
    today: date
    rounds: tuple[OpenRound, ...]
    rounds_total: int
    pending: int
    overdue: int
    checklists: tuple[OpenChecklist, ...]
    checklists_total: int
    lowest: tuple[Rated, ...]
    quarters: tuple[Quarter, ...]
    kinds: tuple[KindRow, ...]
    regions: tuple[RegionRow, ...]


def _open_rounds(today: date) -> QuerySet[Review]:
    pending = Q(assignments__status=AssignmentStatus.ASSIGNED)
    return (
        Review.objects.filter(status=ReviewStatus.OPEN)
        .select_related("standard")
        .annotate(
            _assigned=Count("assignments"),
            _submitted=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)),
            _declined=Count("assignments", filter=Q(assignments__status=AssignmentStatus.DECLINED)),
            _overdue=Count("assignments", filter=pending & Q(due_on__lt=today)),
        )
        .order_by("opened_at", "pk")
    )


def _open_checklists() -> QuerySet[Checklist]:
    return (
        Checklist.objects.filter(completed_at__isnull=True)
        .select_related("template")
        .annotate(
            _total=Count("steps"),
            _done=Count("steps", filter=Q(steps__state=StepState.DONE)),
            _aside=Count("steps", filter=Q(steps__state=StepState.NOT_APPLICABLE)),
        )
        .order_by("created_at", "pk")
    )


def _lowest() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records = list(
        Rating.objects.filter(cooperation__isnull=True)
        .values("identifier")
        .annotate(average=Avg("stars"), count=Count("pk"))
        .filter(count__gte=MIN_RATINGS)
        .order_by("average", "-count", "identifier")[:LOWEST]
    )
    cooperations = list(
        Rating.objects.filter(cooperation__isnull=False)
        .values("cooperation")
        .annotate(average=Avg("stars"), count=Count("pk"))
        .filter(count__gte=MIN_RATINGS)
        .order_by("average", "-count", "cooperation")[:LOWEST]
    )
    return records, cooperations


def _cooperations(keys: list[int]) -> dict[int, Named]:
    found = {}
    for cooperation in Cooperation.objects.filter(pk__in=keys):
        title = _("Cooperation %(number)s: %(kind)s") % {
            "number": cooperation.match_id,
            "kind": cooperation.get_kind_display(),
        }
        found[cooperation.pk] = Named(
            f"cooperation-{cooperation.pk}", title, cooperation.get_absolute_url(), ""
        )
    return found


def _quarter(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year} Q{(value.month - 1) // 3 + 1}"


def _quarters() -> tuple[Quarter, ...]:
    ratings = {
        _quarter(row["quarter"]): row
        for row in Rating.objects.annotate(quarter=TruncQuarter("created_at"))
        .values("quarter")
        .annotate(count=Count("pk"), average=Avg("stars"), high=Count("pk", filter=Q(stars__gte=HIGH_RATING)))
        .order_by()
    }
    judged = {
        _quarter(row["quarter"]): row
        for row in Review.objects.filter(status=ReviewStatus.JUDGED)
        .annotate(quarter=TruncQuarter("judged_at"))
        .values("quarter")
        .annotate(
            count=Count("pk"),
            meets=Count("pk", filter=Q(judgment=Judgment.MEETS)),
            changes=Count("pk", filter=Q(judgment=Judgment.NEEDS_CHANGES)),
            fails=Count("pk", filter=Q(judgment=Judgment.DOES_NOT_MEET)),
        )
        .order_by()
    }
    rows = []
    for label in sorted(set(ratings) | set(judged), reverse=True):
        rated, reviewed = ratings.get(label, {}), judged.get(label, {})
        average = rated.get("average")
        rows.append(
            Quarter(
                label,
                int(rated.get("count", 0)),
                round(average, 1) if average is not None else None,
                int(rated.get("high", 0)),
                int(reviewed.get("count", 0)),
                int(reviewed.get("meets", 0)),
                int(reviewed.get("changes", 0)),
                int(reviewed.get("fails", 0)),
            )
        )
    return tuple(rows)


def _kinds() -> tuple[KindRow, ...]:
    reviews = {
        row["standard__applies_to"]: row
        for row in Review.objects.values("standard__applies_to")
        .annotate(
            open=Count("identifier", filter=Q(status=ReviewStatus.OPEN), distinct=True),
            judged=Count("identifier", filter=Q(status=ReviewStatus.JUDGED), distinct=True),
            meets=Count("identifier", filter=Q(judgment=Judgment.MEETS), distinct=True),
        )
        .order_by()
    }
    checklists = {
        row["template__applies_to"]: row
        for row in Checklist.objects.values("template__applies_to")
        .annotate(count=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    }
    rows = []
    for kind in AppliesTo:
        reviewed, kept = reviews.get(kind.value, {}), checklists.get(kind.value, {})
        rows.append(
            KindRow(
                kind.value,
                str(kind.label),
                int(reviewed.get("open", 0)),
                int(reviewed.get("judged", 0)),
                int(reviewed.get("meets", 0)),
                int(kept.get("count", 0)),
                int(kept.get("completed", 0)),
            )
        )
    return tuple(rows)


def _regions() -> tuple[RegionRow, ...]:
    """By UN regional group: of the item's owner for reviews and checklists, of the rater for
    ratings."""
    reviews = {
        row["group"] or "": row
        for row in Review.objects.filter(status=ReviewStatus.JUDGED)
        .annotate(group=owner_value("regional_group"))
        .values("group")
        .annotate(
            judged=Count("identifier", distinct=True),
            meets=Count("identifier", filter=Q(judgment=Judgment.MEETS), distinct=True),
        )
        .order_by()
    }
    checklists = {
        row["group"] or "": row
        for row in Checklist.objects.filter(completed_at__isnull=False)
        .annotate(group=owner_value("regional_group"))
        .values("group")
        .annotate(count=Count("pk"))
        .order_by()
    }
    ratings = {
        row["country__regional_group"] or "": row
        for row in Rating.objects.values("country__regional_group")
        .annotate(count=Count("pk"), average=Avg("stars"))
        .order_by()
    }
    labels = {str(value): str(label) for value, label in RegionalGroup.choices}
    keys = set(reviews) | set(checklists) | set(ratings)
    rows = []
    for key in sorted(keys, key=lambda key: (key == "", labels.get(key, key))):
        average = ratings.get(key, {}).get("average")
        rows.append(
            RegionRow(
                key,
                labels.get(key, key) if key else _("Not known"),
                int(reviews.get(key, {}).get("judged", 0)),
                int(reviews.get(key, {}).get("meets", 0)),
                int(checklists.get(key, {}).get("count", 0)),
                int(ratings.get(key, {}).get("count", 0)),
                round(average, 1) if average is not None else None,
            )
        )
    return tuple(rows)


def dashboard(language: str | None = None, *, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard, items named in ``language``."""
    today = today or timezone.localdate()
    rounds = list(_open_rounds(today)[:LISTED])
    rounds_total = Review.objects.filter(status=ReviewStatus.OPEN).count()
    waiting = Assignment.objects.filter(review__status=ReviewStatus.OPEN, status=AssignmentStatus.ASSIGNED)
    pending = waiting.count()
    overdue = waiting.filter(review__due_on__lt=today).count()
    checklists = list(_open_checklists()[:LISTED])
    checklists_total = Checklist.objects.filter(completed_at__isnull=True).count()
    records, cooperations = _lowest()
    names = named_items(
        [review.identifier for review in rounds]
        + [checklist.identifier for checklist in checklists]
        + [row["identifier"] for row in records],
        language,
    )
    partners = _cooperations([row["cooperation"] for row in cooperations])
    lowest = [Rated(names[row["identifier"]], round(row["average"], 1), row["count"]) for row in records] + [
        Rated(partners[row["cooperation"]], round(row["average"], 1), row["count"])
        for row in cooperations
        if row["cooperation"] in partners
    ]
    lowest.sort(key=lambda rated: (rated.average, -rated.count, rated.item.key))
    return Dashboard(
        today=today,
        rounds=tuple(
            OpenRound(
                review,
                names[review.identifier],
                review._assigned,  # type: ignore[attr-defined]
                review._submitted,  # type: ignore[attr-defined]
                review._declined,  # type: ignore[attr-defined]
                bool(review._overdue),  # type: ignore[attr-defined]
            )
            for review in rounds
        ),
        rounds_total=rounds_total,
        pending=pending,
        overdue=overdue,
        checklists=tuple(
            OpenChecklist(
                checklist,
                names[checklist.identifier],
                checklist._done,  # type: ignore[attr-defined]
                checklist._aside,  # type: ignore[attr-defined]
                checklist._total,  # type: ignore[attr-defined]
            )
            for checklist in checklists
        ),
        checklists_total=checklists_total,
        lowest=tuple(lowest[:LOWEST]),
        quarters=_quarters(),
        kinds=_kinds(),
        regions=_regions(),
    )


def _number(value: float | None) -> str:
    return "—" if value is None else str(value)


def csv_rows(found: Dashboard) -> Iterator[list[str]]:
    """The dashboard as a table: section, item or group, figure, and a value."""
    yield [_("Section"), _("Item or group"), _("Figure"), _("Value")]
    under_review = _("Under review")
    for line in found.rounds:
        item = f"{line.item.title} ({line.item.key})"
        yield [under_review, item, _("Round"), str(line.review.round)]
        yield [under_review, item, _("Reviews submitted"), str(line.submitted)]
        yield [under_review, item, _("Reviews pending"), str(line.pending)]
        yield [under_review, item, _("Overdue"), _("Yes") if line.overdue else _("No")]
    incomplete = _("Checklists not completed")
    for kept in found.checklists:
        yield [
            incomplete,
            f"{kept.item.title} ({kept.item.key})",
            _("Steps done or set aside (%)"),
            str(kept.percent),
        ]
    lowest = _("Lowest rated")
    for rated in found.lowest:
        item = f"{rated.item.title} ({rated.item.key})"
        yield [lowest, item, _("Average rating"), str(rated.average)]
        yield [lowest, item, _("Ratings"), str(rated.count)]
    trends = _("Trends by quarter")
    for quarter in found.quarters:
        yield [trends, quarter.label, _("Ratings"), str(quarter.ratings)]
        yield [trends, quarter.label, _("Average rating"), _number(quarter.average)]
        yield [trends, quarter.label, _("Ratings of 4 or 5"), str(quarter.high)]
        yield [trends, quarter.label, _("Reviews judged"), str(quarter.judged)]
        yield [trends, quarter.label, _("Meets the standard"), str(quarter.meets)]
    by_kind = _("By kind")
    for kind in found.kinds:
        yield [by_kind, kind.label, _("Under review"), str(kind.under_review)]
        yield [by_kind, kind.label, _("Judged"), str(kind.judged)]
        yield [by_kind, kind.label, _("Meets the standard"), str(kind.meets)]
        yield [by_kind, kind.label, _("Checklists"), str(kind.checklists)]
        yield [by_kind, kind.label, _("Checklists completed"), str(kind.checklists_completed)]
    by_region = _("By region")
    for region in found.regions:
        yield [by_region, region.label, _("Judged"), str(region.judged)]
        yield [by_region, region.label, _("Meets the standard"), str(region.meets)]
        yield [by_region, region.label, _("Checklists completed"), str(region.checklists_completed)]
        yield [by_region, region.label, _("Ratings"), str(region.ratings)]
        yield [by_region, region.label, _("Average rating"), _number(region.average)]
