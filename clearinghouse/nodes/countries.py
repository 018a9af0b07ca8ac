"""What a Party's country page gathers, public records only: its focal points (name and role), its
needs and requests, offers and partnerships, the cooperation and co-funding it takes part in,
events held in it or that its people take part in, the courses it offers and those its learners
follow, its alumni, its indicators and its national clearing-house mechanism. Each section reads
at most ``SHOWN`` records and its count: the page costs the same queries whatever the number of
records, and links to the full list for the Party."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import Appointment, Role
from clearinghouse.community.models import Alumnus
from clearinghouse.events.models import Event, RegistrationStatus
from clearinghouse.geo.models import Country
from clearinghouse.learning.models import Course
from clearinghouse.matchmaking.models import Contribution, ContributionKind, CooperationKind, CooperationParty
from clearinghouse.monitoring import values
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Indicator, Method
from clearinghouse.needs.models import Need, Request
from clearinghouse.nodes.models import NationalCHM
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Offer, Partnership

SHOWN = 5


@dataclass(frozen=True)
class Section:
    """Up to ``SHOWN`` records and how many there are in all."""

    records: list[Any]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.records)


@dataclass(frozen=True)
class IndicatorForParty:
    code: str
    name: str
    value: values.Shown


@dataclass
class CountryPage:
    party: Country
    chm: NationalCHM | None
    focal_points: list[Appointment]
    needs: Section
    requests: Section
    offers: Section
    partnerships: Section
    events_held: Section
    events_attended: Section
    courses_offered: Section
    courses: Section
    # Counted, never listed: cooperation pages are for their sides only.
    cooperation: list[tuple[str, int]] = field(default_factory=list)
    co_funding: list[tuple[str, str, Any]] = field(default_factory=list)
    # Alumni from the Party; a small count is not told (``alumni_hidden`` says so instead).
    alumni: int | None = None
    alumni_hidden: str = ""
    indicators: list[IndicatorForParty] = field(default_factory=list)
    period: Period | None = None


def _section(found: QuerySet[Any]) -> Section:
    return Section(list(found[:SHOWN]), found.count())


def _published(model: type[Record], party: Country) -> QuerySet[Any]:
    """The Party's published records, its own and those of organisations based in it (as the
    lists' ``party`` filter reads them). Drafts and records waiting for review stay with their
    owners."""
    found: QuerySet[Any] = model._default_manager.filter(
        Q(owner_country=party) | Q(owner_organisation__country=party), live=True
    )
    return found.order_by("-last_published_at", "-pk")


def _indicators(party: Country) -> tuple[Period | None, list[IndicatorForParty]]:
    """The computed indicators disaggregated by Party, for the latest period computed: the
    Party's cell, as the public statistics show it (small counts of people withheld)."""
    periods = values.computed_periods()
    if not periods:
        return None, []
    by_party = [
        indicator
        for indicator in Indicator.objects.filter(method=Method.COMPUTED).select_related("activity", "item")
        if "party" in indicator.disaggregations
    ]
    reading = values.read(by_party, periods[0], dimensions=["party"], trend=False)
    found = []
    for read in reading.indicators:
        for breakdown in read.breakdowns:
            for row in breakdown.rows:
                if row.key == party.code:
                    found.append(IndicatorForParty(read.indicator.code, read.name, row.shown))
    return periods[0], found


def _alumni(party: Country) -> tuple[int | None, str]:
    """As the public statistics count people: fewer than the smallest cell shown is not told."""
    count = Alumnus.objects.filter(country=party).count()
    threshold = values.min_cell()
    if 0 < count < threshold:
        return None, _("fewer than %(count)s") % {"count": threshold}
    return count, ""


def gather(party: Country) -> CountryPage:
    """Every section of the Party's page, in a fixed number of queries."""
    chm = (
        NationalCHM.objects.filter(party=party).prefetch_related("history", "support_requests__need").first()
    )
    focal_points = list(
        Appointment.objects.filter(
            country=party, role=Role.FOCAL_POINT, ended_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    events = Event.objects.filter(live=True).order_by("-starts_at", "-pk")
    attended = events.filter(
        registrations__country=party, registrations__status=RegistrationStatus.CONFIRMED
    ).distinct()
    # Learners are counted by country only when they agreed to it.
    courses = (
        Course.objects.filter(live=True, enrolments__country=party, enrolments__consents_to_statistics=True)
        .distinct()
        .order_by("-last_published_at", "-pk")
    )
    kinds = dict(CooperationKind.choices)
    cooperation = [
        (str(kinds.get(row["cooperation__kind"], row["cooperation__kind"])), row["count"])
        for row in CooperationParty.objects.filter(Q(country=party) | Q(organisation__country=party))
        .values("cooperation__kind")
        .annotate(count=Count("cooperation", distinct=True))
        .order_by("-count", "cooperation__kind")
    ]
    co_funding = [
        (row["currency"], str(ContributionKind(row["kind"]).label), row["total"])
        for row in Contribution.objects.filter(
            Q(contributor_country=party) | Q(contributor_organisation__country=party)
        )
        .values("currency", "kind")
        .annotate(total=Sum("amount"))
        .order_by("currency", "kind")
    ]
    period, indicators = _indicators(party)
    alumni, alumni_hidden = _alumni(party)
    return CountryPage(
        party=party,
        chm=chm,
        focal_points=focal_points,
        needs=_section(_published(Need, party)),
        requests=_section(_published(Request, party)),
        offers=_section(_published(Offer, party)),
        partnerships=_section(_published(Partnership, party)),
        events_held=_section(events.filter(venue_country=party)),
        events_attended=_section(attended),
        courses_offered=_section(_published(Course, party)),
        courses=_section(courses),
        cooperation=cooperation,
        co_funding=co_funding,
        alumni=alumni,
        alumni_hidden=alumni_hidden,
        indicators=indicators,
        period=period,
    )
