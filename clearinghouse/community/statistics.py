"""The alumni and communities figures of the statistics page and its CSV, for the Secretariat
(every Party) and focal points (their Parties' figures): alumni by activity, country, gender,
IPLC and sector; alumni active in the last 90 days; active communities; peer exchanges;
mentoring relations by state; follow-up answers.

They count what monitoring's measures count (measures.py), over a period chosen on the page:
alumni by the day they took part, exchanges by the day of the reply, mentoring relations by the
day they were asked, follow-up surveys by the day they were sent and answered. Active alumni and
active communities are a state at the period's end (today, when the period is open): activity in
the 90 days before it.

A focal point's Parties: alumni whose country is one of them; exchanges, mentoring relations
whose one side is of one of them (a person's Party is their alumnus record's country, else their
account's); communities they own; follow-up answers of their alumni.

Privacy: counts of people follow the events' rule (events/statistics.py): under ``THRESHOLD``
they are shown as "fewer than 5", and a figure that would give a hidden one away is hidden too,
except to the Secretariat. Every figure is counted by the database: a fixed number of queries
whatever the number of alumni.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.community.measures import ACTIVE_DAYS, peer_exchanges
from clearinghouse.community.models import (
    Activity,
    Alumnus,
    Applied,
    Consent,
    FollowUpRequest,
    MentoringStatus,
    Mentorship,
    Participation,
    Post,
)
from clearinghouse.events.models import Gender, Sector
from clearinghouse.events.statistics import THRESHOLD, Figure, Hidden, protect
from clearinghouse.geo.models import Country

__all__ = ["THRESHOLD", "Figure", "Hidden"]

# Dimension -> (heading, the participation's field it groups by).
DIMENSIONS: dict[str, tuple[Any, str]] = {
    "activity": (gettext_lazy("By kind of activity"), "activity"),
    "country": (gettext_lazy("By country"), "alumnus__country__code"),
    "gender": (gettext_lazy("By gender"), "alumnus__gender"),
    "iplc": (
        gettext_lazy("Representing indigenous peoples and local communities"),
        "alumnus__represents_iplc",
    ),
    "sector": (gettext_lazy("By sector"), "alumnus__sector"),
}


@dataclass(frozen=True)
class Scope:
    """Whose figures, over which days: ``countries`` None for every Party; ``start`` and
    ``end`` whole days, both included, either open."""

    countries: Collection[int] | None = None
    start: date | None = None
    end: date | None = None

    def between(self, field: str) -> Q:
        zone = timezone.get_current_timezone()
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": datetime.combine(self.start, time.min, tzinfo=zone)})
        if self.end is not None:
            condition &= Q(
                **{f"{field}__lt": datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)}
            )
        return condition

    def days(self, field: str) -> Q:
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lte": self.end})
        return condition

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """The 90 days before the period's end (before now when it is open or ends later)."""
        until = now
        if self.end is not None:
            zone = timezone.get_current_timezone()
            until = min(now, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone))
        return until - timedelta(days=ACTIVE_DAYS), until


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class Breakdown:
    name: str
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Line:
    """One figure of a summary table: a count, or an average rating ("—" when there is none)."""

    key: str
    label: str
    figure: Figure | float | str


@dataclass(frozen=True)
class Report:
    scope: Scope
    exact: bool
    alumni: Figure
    breakdowns: tuple[Breakdown, ...]
    network: tuple[Line, ...]
    mentoring: tuple[Line, ...]
    ratings: tuple[Line, ...]
    follow_up: tuple[Line, ...]


def _people(value: int, exact: bool) -> Figure:
    """A count of people as it may be shown."""
    if exact or value == 0 or value >= THRESHOLD:
        return Figure(value)
    return Figure(None, Hidden.FEWER)


def _in(countries: Collection[int] | None, *paths: Any) -> Q:
    """Rows whose Party at one of the paths is one of the countries (every row for None)."""
    if countries is None:
        return Q()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path}__in": list(countries)})
    return condition


def alumni(scope: Scope) -> QuerySet[Participation]:
    """The participations counted: of consented alumni, in the period, of the Parties."""
    found = Participation.objects.filter(alumnus__consent=Consent.GIVEN).filter(scope.days("took_part_on"))
    if scope.countries is not None:
        found = found.filter(alumnus__country__in=list(scope.countries))
    return found


def _labels(dimension: str, keys: Collection[str]) -> dict[str, str]:
    if dimension == "activity":
        return {str(value): str(label) for value, label in Activity.choices}
    if dimension == "gender":
        return {str(value): str(label) for value, label in Gender.choices}
    if dimension == "sector":
        return {str(value): str(label) for value, label in Sector.choices}
    if dimension == "iplc":
        return {"True": _("Yes"), "False": _("No")}
    if dimension == "country":
        return {country.code: country.name() for country in Country.objects.filter(code__in=list(keys))}
    return {}


def breakdown(found: QuerySet[Participation], dimension: str, *, exact: bool) -> Breakdown:
    """Distinct alumni by one dimension, most first and those without a value last (one query,
    and one for the countries' names)."""
    heading, path = DIMENSIONS[dimension]
    counted = {
        str(row[path]) if row[path] not in (None, "") else "": int(row["people"])
        for row in found.values(path).annotate(people=Count("alumnus", distinct=True)).order_by()
    }
    figures, _total = protect(counted, [], exact)
    names = _labels(dimension, counted)
    unknown = _("Not known")
    rows = sorted(
        (Row(key, names.get(key, key) if key else unknown, figures[key]) for key in counted),
        key=lambda row: (row.key == "", -(counted[row.key]), row.label),
    )
    return Breakdown(dimension, str(heading), tuple(rows))


def _party(person: str) -> Any:
    return Coalesce(f"{person}__alumnus__country", f"{person}__country")


def report(scope: Scope, *, exact: bool, now: datetime | None = None) -> Report:
    """Every figure of the page for the scope."""
    now = now or timezone.now()
    countries = scope.countries
    found = alumni(scope)
    total = found.aggregate(people=Count("alumnus", distinct=True))["people"] or 0
    tables = tuple(breakdown(found, dimension, exact=exact) for dimension in DIMENSIONS)

    begin, until = scope.window(now)
    active = Alumnus.objects.filter(
        consent=Consent.GIVEN, last_active_at__gte=begin, last_active_at__lt=until
    )
    if countries is not None:
        active = active.filter(country__in=list(countries))
    posts = Post.objects.filter(
        hidden_at__isnull=True,
        topic__hidden_at__isnull=True,
        topic__community__live=True,
        author__isnull=False,
        created_at__gte=begin,
        created_at__lt=until,
    ).filter(_in(countries, "topic__community__owner_country"))
    communities = (
        posts.values("topic__community")
        .annotate(members=Count("author", distinct=True))
        .filter(members__gte=2)
        .order_by()
        .count()
    )
    exchanges = peer_exchanges().filter(scope.between("created_at"))
    if countries is not None:
        exchanges = exchanges.filter(Q(_from__in=list(countries)) | Q(_to__in=list(countries)))
    network = (
        Line(
            "active_alumni",
            _("Alumni active in the network in the last 90 days"),
            _people(active.count(), exact),
        ),
        Line(
            "active_communities",
            _("Active communities of practice (posts by two members or more in the last 90 days)"),
            Figure(communities),
        ),
        Line("peer_exchanges", _("Replies between members of different Parties"), Figure(exchanges.count())),
    )

    relations = Mentorship.objects.filter(scope.between("created_at"))
    if countries is not None:
        relations = relations.annotate(_mentee=_party("mentee"), _mentor=_party("mentor")).filter(
            Q(_mentee__in=list(countries)) | Q(_mentor__in=list(countries))
        )
    by_status = dict(relations.values_list("status").annotate(count=Count("pk")).order_by())
    mentoring = tuple(
        Line(str(value), str(label), Figure(int(by_status.get(value, 0))))
        for value, label in MentoringStatus.choices
    )
    rated = relations.filter(status=MentoringStatus.COMPLETED).aggregate(
        completed=Count("pk"),
        rated=Count("pk", filter=Q(mentee_rating__isnull=False)),
        mentee=Avg("mentee_rating"),
        mentor=Avg("mentor_rating"),
    )
    ratings = (
        Line("rated", _("Completed and rated by the mentee"), Figure(int(rated["rated"] or 0))),
        Line("mentee_rating", _("Mentees' rating, out of 5 on average"), _average(rated["mentee"])),
        Line("mentor_rating", _("Mentors' rating, out of 5 on average"), _average(rated["mentor"])),
    )

    requests = FollowUpRequest.objects.all()
    if countries is not None:
        requests = requests.filter(participation__alumnus__country__in=list(countries))
    answered = Q(answered_at__isnull=False) & scope.between("answered_at")
    counted = requests.aggregate(
        asked=Count("pk", filter=Q(sent_at__isnull=False) & scope.between("sent_at")),
        answered=Count("pk", filter=answered),
        some=Count("pk", filter=answered & Q(applied=Applied.SOME)),
        much=Count("pk", filter=answered & Q(applied=Applied.MUCH)),
    )
    follow_up = (
        Line("sent", _("Follow-up surveys sent"), _people(counted["asked"], exact)),
        Line("answered", _("Answered"), _people(counted["answered"], exact)),
        Line("applied_some", _("Applied some of what they learnt"), _people(counted["some"], exact)),
        Line("applied_much", _("Applied much of what they learnt"), _people(counted["much"], exact)),
    )
    return Report(scope, exact, _people(total, exact), tables, network, mentoring, ratings, follow_up)


def _average(value: float | None) -> float | str:
    """An average as shown (one decimal), or a dash when nothing was rated."""
    return round(value, 1) if value is not None else "—"


def csv_rows(found: Report) -> Iterator[list[str]]:
    """The page's figures as a table: section, group, figure."""
    yield [_("Section"), _("Group"), _("Figure")]
    yield [_("Alumni"), _("Total"), str(found.alumni)]
    for table in found.breakdowns:
        for row in table.rows:
            yield [table.label, row.label, str(row.figure)]
    sections: Mapping[str, tuple[Line, ...]] = {
        _("The network"): found.network,
        _("Mentoring relations"): found.mentoring + found.ratings,
        _("Follow-up"): found.follow_up,
    }
    for section, lines in sections.items():
        for line in lines:
            yield [section, line.label, str(line.figure)]
