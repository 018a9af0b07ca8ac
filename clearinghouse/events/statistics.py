"""Disaggregated participation: how many people registered (confirmed) and attended (checked
in), by country, UN regional group, gender, IPLC, youth, sector and role, for one event or many.

Privacy: a published table shows no figure under ``THRESHOLD`` people ("fewer than 5"), and
hides more figures where the shown ones would give a hidden one away:

- within a column, when exactly one figure is hidden and the total is shown, the total minus
  the shown figures would be the hidden one: the next smallest figure is hidden too (or, if none
  is left, the total);
- by country, the same holds inside each regional group, whose figure the regional table shows.

Zeros are shown (they tell that nobody came, not who). Not protected: the difference between
the registered and the attended of one row (the people who did not come), and differences
between tables of overlapping selections of events. Organisers of every event counted, and the
Secretariat, see exact figures (``exact=True``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.accounts import roles
from clearinghouse.events import permissions
from clearinghouse.events.models import (
    Event,
    Gender,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Sector,
)
from clearinghouse.geo.models import Country, RegionalGroup

THRESHOLD = 5


class Dimension(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    GENDER = "gender"
    IPLC = "iplc"
    YOUTH = "youth"
    SECTOR = "sector"
    ROLE = "role"


DIMENSION_LABELS: dict[Dimension, Promise] = {
    Dimension.COUNTRY: gettext_lazy("By country"),
    Dimension.REGION: gettext_lazy("By UN regional group"),
    Dimension.GENDER: gettext_lazy("By gender"),
    Dimension.IPLC: gettext_lazy("Representing indigenous peoples and local communities"),
    Dimension.YOUTH: gettext_lazy("Youth (under 35)"),
    Dimension.SECTOR: gettext_lazy("By sector"),
    Dimension.ROLE: gettext_lazy("By role"),
}
# What each dimension groups the registrations by.
_KEYS = {
    Dimension.COUNTRY: "country__code",
    Dimension.REGION: "country__regional_group",
    Dimension.GENDER: "gender",
    Dimension.IPLC: "represents_iplc",
    Dimension.YOUTH: "youth",
    Dimension.SECTOR: "sector",
    Dimension.ROLE: "role",
}


class Hidden(StrEnum):
    FEWER = "fewer"  # under the threshold
    COMPLEMENT = "complement"  # would give a hidden figure away


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: ``value`` is None when it is hidden, and ``hidden`` says why."""

    value: int | None
    hidden: Hidden | None = None

    def __str__(self) -> str:
        if self.hidden == Hidden.FEWER:
            return _("fewer than %(threshold)d") % {"threshold": THRESHOLD}
        if self.hidden == Hidden.COMPLEMENT:
            return _("hidden")
        return str(self.value)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    registered: Figure
    attended: Figure


@dataclass(frozen=True)
class Breakdown:
    """One table: a row per group, the total, and whether the figures are exact."""

    by: Dimension
    label: str
    rows: tuple[Row, ...]
    total: Row
    exact: bool

    def chart(self) -> list[Bar]:
        """Bars of the shown figures, as shares (0–100) of the largest; hidden figures get none."""
        largest = max((row.registered.value or 0 for row in self.rows), default=0) or 1
        return [Bar(row, _share(row.registered, largest), _share(row.attended, largest)) for row in self.rows]


@dataclass(frozen=True)
class Bar:
    row: Row
    registered: int
    attended: int

    @property
    def registered_start(self) -> int:
        """Where a right-to-left bar starts (an SVG's coordinates do not mirror)."""
        return 100 - self.registered

    @property
    def attended_start(self) -> int:
        return 100 - self.attended


def _share(figure: Figure, largest: int) -> int:
    return round(100 * (figure.value or 0) / largest)


def dimension(value: str) -> Dimension:
    """The dimension named ``value``; ValueError with a readable message otherwise."""
    try:
        return Dimension(value)
    except ValueError:
        raise ValueError(_("Unknown breakdown “%(name)s”.") % {"name": value[:40]}) from None


def sees_exact(user: Any, events: Iterable[Event]) -> bool:
    """Exact figures for the Secretariat, and for organisers of every event counted."""
    if roles.is_secretariat(user):
        return True
    events = list(events)
    return bool(events) and all(permissions.is_organiser(user, event) for event in events)


def _label(by: Dimension, key: Any, countries: Mapping[str, Country]) -> str:
    if key in (None, ""):
        return _("Not given")
    if by == Dimension.COUNTRY:
        country = countries.get(str(key))
        return country.name() if country else str(key)
    if by in {Dimension.IPLC, Dimension.YOUTH}:
        return _("Yes") if key else _("No")
    choices: dict[Dimension, Any] = {
        Dimension.REGION: RegionalGroup,
        Dimension.GENDER: Gender,
        Dimension.SECTOR: Sector,
        Dimension.ROLE: ParticipantRole,
    }
    try:
        return str(choices[by](key).label)
    except ValueError:
        return str(key)


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def participation(
    events: QuerySet[Event],
    by: Dimension | str,
    *,
    exact: bool = False,
    party: Country | None = None,
    region: str = "",
) -> Breakdown:
    """Registered (confirmed) and attended (checked in) people of ``events``, grouped ``by`` a
    dimension; only participants from ``party`` or ``region`` when given. Unless ``exact``,
    small figures and those that would reveal them are hidden (see the module's note)."""
    by = dimension(by) if isinstance(by, str) and not isinstance(by, Dimension) else Dimension(by)
    registrations = Registration.objects.filter(event__in=events, status=RegistrationStatus.CONFIRMED)
    if party is not None:
        registrations = registrations.filter(country=party)
    if region:
        registrations = registrations.filter(country__regional_group=region)
    grouped = (
        registrations.values(_KEYS[by])
        .annotate(registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    )
    counts = {_key(item[_KEYS[by]]): (item["registered"], item["attended"]) for item in grouped}
    countries: dict[str, Country] = {}
    groups: list[set[str]] = []
    if by == Dimension.COUNTRY:
        countries = {country.code: country for country in Country.objects.filter(code__in=list(counts))}
        regions: dict[str, set[str]] = {}
        for code, country in countries.items():
            regions.setdefault(country.regional_group or "", set()).add(code)
        groups = list(regions.values())
    registered = {key: value[0] for key, value in counts.items()}
    attended = {key: value[1] for key, value in counts.items()}
    shown_registered, total_registered = protect(registered, groups, exact)
    shown_attended, total_attended = protect(attended, groups, exact)
    rows = [
        Row(key, _label(by, _original(by, key), countries), shown_registered[key], shown_attended[key])
        for key in counts
    ]
    rows.sort(key=lambda row: (-(row.registered.value or 0), row.label.casefold()))
    total = Row("", _("Total"), total_registered, total_attended)
    return Breakdown(by, str(DIMENSION_LABELS[by]), tuple(rows), total, exact)


def _original(by: Dimension, key: str) -> Any:
    if by in {Dimension.IPLC, Dimension.YOUTH}:
        return key == "yes"
    return key


def protect(
    counts: Mapping[str, int], groups: list[set[str]], exact: bool
) -> tuple[dict[str, Figure], Figure]:
    """The figures of one column and its total as they may be shown."""
    total = sum(counts.values())
    if exact:
        return {key: Figure(value) for key, value in counts.items()}, Figure(total)
    hidden: dict[str, Hidden] = {key: Hidden.FEWER for key, value in counts.items() if 0 < value < THRESHOLD}
    total_hidden: Hidden | None = Hidden.FEWER if 0 < total < THRESHOLD else None
    # Each group: its members, and whether its total is published (a region's figure is, unless small).
    sets: list[tuple[set[str], bool]] = [(set(counts), True)]
    sets += [(members, sum(counts[key] for key in members) >= THRESHOLD) for members in groups]
    changed = True
    while changed:
        changed = False
        for index, (members, total_shown) in enumerate(sets):
            if index == 0:
                total_shown = total_hidden is None
            if not total_shown or len([key for key in members if key in hidden]) != 1:
                continue
            candidates = [key for key in members if key not in hidden and counts[key] > 0]
            if candidates:
                smallest = min(candidates, key=lambda key: (counts[key], key))
                hidden[smallest] = Hidden.COMPLEMENT
                changed = True
            elif index == 0:
                total_hidden = Hidden.COMPLEMENT
                changed = True
    figures = {
        key: Figure(None, hidden[key]) if key in hidden else Figure(value) for key, value in counts.items()
    }
    return figures, Figure(None, total_hidden) if total_hidden else Figure(total)


def event_panel(event: Event, user: Any, now: Any = None) -> list[Breakdown]:
    """The tables of an event's page: after the event for everyone (protected), at any time for
    its organisers (exact); none before the event to others."""
    organiser = permissions.is_organiser(user, event)
    if not organiser and not event.is_past(now):
        return []
    events = Event.objects.filter(pk=event.pk)
    return [participation(events, by, exact=organiser) for by in Dimension]
