"""The gap analysis of a period: what Parties ask for against what is on offer and what the help
desk matched, the needs that wait longest, where co-funding goes, and the needs' funnel from
registration to being addressed (docs/monitoring-gaps.md).

Read-only functions of a ``Period``. Every figure is grouped by the database, in a fixed number
of queries whatever the number of records; only the funnel's medians and co-funding by target
read one row per need or contribution, because a median and a sum over a many-to-many path
cannot be taken by a GROUP BY without counting a row twice.

"Needs" are the public needs first published in the period. "Support on offer" is every public,
current record of the types matched on the support side (``registry.on_side("support")``:
offers, opportunities, resources, providers, experts) first published by the period's end. A
need is matched when one of its matches was agreed (the need's status became "matched"): a match
of its own case, or of the case of a request made of it.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import pick_label
from clearinghouse.geo.models import Country, Region
from clearinghouse.matchmaking.models import Contribution, Match, MatchState
from clearinghouse.monitoring.compute import Period
from clearinghouse.needs.models import Need, NeedStatus
from clearinghouse.publishing import registry
from clearinghouse.vocabularies.models import Term

# A match is made once both sides agreed: from then on the need's status is "matched" or later.
MADE = (MatchState.AGREED, MatchState.IN_PROGRESS, MatchState.COMPLETED)
# Needs nobody has agreed to support yet.
WAITING = (NeedStatus.OPEN, NeedStatus.IN_MATCHMAKING)
LONGEST_UNMATCHED = 20

# The breakdowns: dimension code -> (its name, the vocabulary its keys are terms of).
BREAKDOWNS: dict[str, tuple[Any, str]] = {
    "target": (_("GBF target"), "gbf-targets"),
    "subject": (_("Subject"), "subjects"),
    "region": (_("UN region"), ""),
    "support_type": (_("Type of support"), "support-types"),
}
NOT_STATED = _("Not stated")


@dataclass(frozen=True)
class GapRow:
    """One value of a breakdown (a target, a subject...): the needs registered with it, the
    support on offer with it, the matches made for those needs, the needs still without one, and
    the gap ratio: needs without a match per record of support on offer (None when nothing is on
    offer, however many needs wait)."""

    key: str
    label: str
    needs: int
    support: int
    matches: int
    unmatched: int
    gap_ratio: float | None


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    rows: list[GapRow]


@dataclass(frozen=True)
class WaitingNeed:
    """A public need no match was agreed for, with how long it has waited since it was first
    published (to today)."""

    identifier: str
    title: str
    party: str
    party_name: str
    registered: date
    age_days: int
    status: str
    targets: tuple[str, ...]
    target_labels: tuple[str, ...]


@dataclass(frozen=True)
class Amount:
    """Co-funding in one currency (amounts in different currencies are never added)."""

    key: str
    label: str
    currency: str
    amount: Decimal
    cooperations: int


@dataclass(frozen=True)
class Cofunding:
    """Contributions to the cooperations agreed in the period: by currency, by the UN region of
    the Party whose need they support, and by the GBF targets of those needs (a contribution to a
    need with two targets counts under both)."""

    by_currency: list[Amount]
    by_region: list[Amount]
    by_target: list[Amount]


@dataclass(frozen=True)
class Stage:
    """A stage of the funnel: the needs registered in the period that reached it (or a later
    stage), and the median days from the previous stage, over the needs dated at both."""

    code: str
    label: str
    needs: int
    median_days: float | None


@dataclass(frozen=True)
class Gaps:
    """The gap analysis of ``period``, labels in ``language``.

    ``needs``: public needs first published in the period; ``support``: support records on
    offer at its end; ``by_target``, ``by_subject``, ``by_region``, ``by_support_type``: a
    ``Breakdown`` each, rows of ``GapRow`` (needs, support, matches, unmatched, gap_ratio), the
    widest gap first; ``longest_unmatched``: ``WaitingNeed`` rows, the oldest first;
    ``cofunding``: ``Cofunding``; ``funnel``: ``Stage`` rows, registered -> in matchmaking ->
    matched -> under way -> addressed.
    """

    period: Period
    language: str
    needs: int
    support: int
    by_target: Breakdown
    by_subject: Breakdown
    by_region: Breakdown
    by_support_type: Breakdown
    longest_unmatched: list[WaitingNeed]
    cofunding: Cofunding
    funnel: list[Stage]

    @property
    def breakdowns(self) -> list[Breakdown]:
        return [self.by_target, self.by_subject, self.by_region, self.by_support_type]


def analyse(period: Period, *, language: str | None = None) -> Gaps:
    """The gap analysis of the period (see ``Gaps`` for its fields), labels in ``language``
    (the active language when None)."""
    language = language or get_language() or "en"
    with translation.override(language):
        breakdowns = {dimension: breakdown(period, dimension, language) for dimension in BREAKDOWNS}
        return Gaps(
            period=period,
            language=language,
            needs=registered_needs(period).count(),
            support=sum(support_on_offer(period, "").values()),
            by_target=breakdowns["target"],
            by_subject=breakdowns["subject"],
            by_region=breakdowns["region"],
            by_support_type=breakdowns["support_type"],
            longest_unmatched=longest_unmatched(period, language),
            cofunding=cofunding(period, language),
            funnel=funnel(period),
        )


def registered_needs(period: Period) -> QuerySet[Need]:
    start, end = period.bounds()
    return Need.objects.filter(live=True, first_published_at__gte=start, first_published_at__lt=end)


def _region(prefix: str = "") -> Coalesce:
    """The UN region of the record's owner: its country's, or its organisation's country's."""
    return Coalesce(
        f"{prefix}owner_country__region__code", f"{prefix}owner_organisation__country__region__code"
    )


_NEED_TERMS = {"target": "gbf_targets", "subject": "subjects", "support_type": "support_types"}


def _need_key(dimension: str, prefix: str = "") -> Any:
    """The need's value of the dimension, from a row ``prefix`` leads to a need from."""
    if dimension == "region":
        return _region(prefix)
    return F(f"{prefix}{_NEED_TERMS[dimension]}__code")


def _match_made_for(path: str) -> Exists:
    return Exists(Match.objects.filter(state__in=MADE, **{path: OuterRef("pk")}))


def breakdown(period: Period, dimension: str, language: str) -> Breakdown:
    """Needs, support on offer, matches and needs without a match by one dimension."""
    needs = registered_needs(period)
    matched = Q(_match_made_for("case__need")) | Q(_match_made_for("case__request__needs"))
    counted = (
        needs.annotate(_key=_need_key(dimension))
        .values("_key")
        .annotate(needs=Count("pk", distinct=True), matched=Count("pk", distinct=True, filter=matched))
        .order_by()
    )
    asked = {str(row["_key"] or ""): (int(row["needs"]), int(row["matched"])) for row in counted}
    # A case is of a need or of a request, never both: the two counts never share a match.
    matches: dict[str, int] = {}
    made = Match.objects.filter(state__in=MADE)
    for path in ("case__need__", "case__request__needs__"):
        rows = (
            made.filter(**{f"{path}in": needs})
            .annotate(_key=_need_key(dimension, path))
            .values("_key")
            .annotate(matches=Count("pk", distinct=True))
            .order_by()
        )
        for row in rows:
            key = str(row["_key"] or "")
            matches[key] = matches.get(key, 0) + int(row["matches"])
    offered = support_on_offer(period, dimension)
    keys = set(asked) | set(offered) | set(matches)
    labels = key_labels(dimension, keys, language)
    rows_made = []
    for key in keys:
        count, with_match = asked.get(key, (0, 0))
        support = offered.get(key, 0)
        unmatched = count - with_match
        rows_made.append(
            GapRow(
                key=key,
                label=labels.get(key, key),
                needs=count,
                support=support,
                matches=matches.get(key, 0),
                unmatched=unmatched,
                gap_ratio=round(unmatched / support, 2) if support else None,
            )
        )
    # The widest gaps first: most needs waiting, then least support, then by name.
    rows_made.sort(key=lambda row: (-row.unmatched, row.support, -row.needs, row.label))
    return Breakdown(dimension, str(BREAKDOWNS[dimension][0]), rows_made)


def support_on_offer(period: Period, dimension: str) -> dict[str, int]:
    """Support records on offer at the period's end by one dimension ("": in all), summed over
    the support types that have that dimension (a provider has no GBF targets)."""
    _start, end = period.bounds()
    found: dict[str, int] = {}
    for record_type in registry.on_side("support"):
        current = record_type.matchable(with_facts=False).filter(first_published_at__lt=end)
        if not dimension:
            found[""] = found.get("", 0) + current.count()
            continue
        path = _region() if dimension == "region" else registry.dimensions(record_type).get(dimension)
        if path is None:
            continue
        rows = (
            current.annotate(_key=F(path) if isinstance(path, str) else path)
            .values("_key")
            .annotate(records=Count("pk", distinct=True))
            .order_by()
        )
        for row in rows:
            key = str(row["_key"] or "")
            found[key] = found.get(key, 0) + int(row["records"])
    return found


def key_labels(dimension: str, keys: Iterable[str], language: str) -> dict[str, str]:
    """The keys' names in the language: regions' from geo, terms' from their vocabulary (one
    query); "" is "Not stated"."""
    wanted = [key for key in keys if key]
    labels = {"": str(NOT_STATED)}
    if not wanted:
        return labels
    if dimension == "region":
        for region in Region.objects.filter(code__in=wanted):
            labels[region.code] = region.name(language)
        return labels
    vocabulary = BREAKDOWNS[dimension][1]
    for term in Term.objects.filter(vocabulary__name=vocabulary, code__in=wanted).only("code", "labels"):
        labels[term.code] = term.label(language)
    return labels


def longest_unmatched(period: Period, language: str, limit: int = LONGEST_UNMATCHED) -> list[WaitingNeed]:
    """The public needs published by the period's end that no match was agreed for yet, the
    longest waiting first (two queries: the needs and their targets)."""
    _start, end = period.bounds()
    today = timezone.localdate()
    needs = (
        Need.objects.filter(live=True, status__in=WAITING, first_published_at__lt=end)
        .select_related("owner_country", "owner_organisation__country")
        .prefetch_related(
            Prefetch("gbf_targets", queryset=Term.objects.only("code", "labels").order_by("position", "code"))
        )
        .order_by("first_published_at", "pk")[:limit]
    )
    waiting = []
    for need in needs:
        country: Country | None = need.owner_country or (
            need.owner_organisation.country if need.owner_organisation else None
        )
        registered = timezone.localdate(need.first_published_at) if need.first_published_at else today
        targets = list(need.gbf_targets.all())
        waiting.append(
            WaitingNeed(
                identifier=need.identifier,
                title=pick_label(need.title, language),
                party=country.code if country else "",
                party_name=country.name(language) if country else "",
                registered=registered,
                age_days=(today - registered).days,
                status=str(NeedStatus(need.status).label),
                targets=tuple(term.code for term in targets),
                target_labels=tuple(term.label(language) for term in targets),
            )
        )
    return waiting


_TO_COOPERATION = "cooperation__match__case__"


def cofunding(period: Period, language: str) -> Cofunding:
    """Where the contributions to the cooperations agreed in the period go."""
    start, end = period.bounds()
    contributions = Contribution.objects.filter(
        cooperation__created_at__gte=start, cooperation__created_at__lt=end
    )
    by_currency = [
        Amount(row["currency"], row["currency"], row["currency"], row["total"], int(row["cooperations"]))
        for row in contributions.values("currency")
        .annotate(total=Sum("amount"), cooperations=Count("cooperation", distinct=True))
        .order_by("currency")
    ]
    # The requester's region: the case's need's owner, or its request's.
    region = Coalesce(
        f"{_TO_COOPERATION}need__owner_country__region__code",
        f"{_TO_COOPERATION}need__owner_organisation__country__region__code",
        f"{_TO_COOPERATION}request__owner_country__region__code",
        f"{_TO_COOPERATION}request__owner_organisation__country__region__code",
    )
    regional = list(
        contributions.annotate(_key=region)
        .values("_key", "currency")
        .annotate(total=Sum("amount"), cooperations=Count("cooperation", distinct=True))
        .order_by()
    )
    # Targets are many per need (and a request has many needs): summing over the join would
    # count a contribution once per target row, so the distinct pairs are summed here.
    pairs: set[tuple[int, int, str | None, str, Decimal]] = set()
    for path in (f"{_TO_COOPERATION}need__", f"{_TO_COOPERATION}request__needs__"):
        pairs.update(
            contributions.filter(**{f"{path}isnull": False})
            .annotate(_key=F(f"{path}gbf_targets__code"))
            .values_list("pk", "cooperation_id", "_key", "currency", "amount")
            .distinct()
        )
    targeted: dict[tuple[str, str], tuple[Decimal, set[int]]] = {}
    for _pk, cooperation, target, currency, amount in pairs:
        key = target or ""
        total, cooperations = targeted.get((key, currency), (Decimal(0), set()))
        targeted[(key, currency)] = (total + amount, cooperations | {cooperation})
    region_labels = key_labels("region", (str(row["_key"] or "") for row in regional), language)
    target_labels = key_labels("target", (key for key, _currency in targeted), language)
    by_region = [
        Amount(
            str(row["_key"] or ""),
            region_labels.get(str(row["_key"] or ""), str(row["_key"])),
            row["currency"],
            row["total"],
            int(row["cooperations"]),
        )
        for row in regional
    ]
    by_target = [
        Amount(key, target_labels.get(key, key), currency, total, len(cooperations))
        for (key, currency), (total, cooperations) in targeted.items()
    ]
    return Cofunding(by_currency, _largest_first(by_region), _largest_first(by_target))


def _largest_first(amounts: list[Amount]) -> list[Amount]:
    return sorted(amounts, key=lambda row: (row.currency, -row.amount, row.label))


# The funnel's stages after registration, and the status that dates each (a need sent to
# matchmaking is also dated by its case, or its request's case, being opened).
FUNNEL: tuple[tuple[str, Any], ...] = (
    ("registered", _("Registered")),
    (NeedStatus.IN_MATCHMAKING.value, _("In matchmaking")),
    (NeedStatus.MATCHED.value, _("Matched")),
    (NeedStatus.SUPPORT_UNDER_WAY.value, _("Support under way")),
    (NeedStatus.ADDRESSED.value, _("Addressed")),
)


def funnel(period: Period) -> list[Stage]:
    """How far the needs registered in the period went (one query, one row per need).

    A need has reached a stage when it has been dated at it or at any later stage (a need the
    help desk answered directly is addressed without a match: it counts as having passed every
    stage). A stage's date is the first status change to it (for "in matchmaking", also the first
    case opened for the need or a request made of it); the median days from the previous stage
    are taken over the needs dated at both.
    """
    first_change = {
        code: Min("status_changes__changed_at", filter=Q(status_changes__status=code))
        for code, _label in FUNNEL[1:]
    }
    rows = (
        registered_needs(period)
        .annotate(
            _case=Min("case__opened_at"),
            _request_case=Min("requests__case__opened_at"),
            **{f"_{code}": expression for code, expression in first_change.items()},
        )
        .values("first_published_at", "_case", "_request_case", *(f"_{code}" for code in first_change))
        .order_by()
    )
    codes = [code for code, _label in FUNNEL]
    reached = dict.fromkeys(codes, 0)
    spans: dict[str, list[float]] = {code: [] for code in codes[1:]}
    for row in rows:
        dates = _stage_dates(row)
        last = max((index for index, code in enumerate(codes) if dates[code] is not None), default=0)
        for code in codes[: last + 1]:
            reached[code] += 1
        for previous, code in itertools.pairwise(codes):
            begun, ended = dates[previous], dates[code]
            if begun is not None and ended is not None:
                spans[code].append(max((ended - begun).total_seconds(), 0) / 86400)
    return [
        Stage(
            code,
            str(label),
            reached[code],
            round(statistics.median(spans[code]), 1) if spans.get(code) else None,
        )
        for code, label in FUNNEL
    ]


def _stage_dates(row: Mapping[str, Any]) -> dict[str, datetime | None]:
    cases = [moment for moment in (row["_case"], row["_request_case"], row["_in_matchmaking"]) if moment]
    return {
        "registered": row["first_published_at"],
        NeedStatus.IN_MATCHMAKING.value: min(cases) if cases else None,
        NeedStatus.MATCHED.value: row["_matched"],
        NeedStatus.SUPPORT_UNDER_WAY.value: row["_support_under_way"],
        NeedStatus.ADDRESSED.value: row["_addressed"],
    }
