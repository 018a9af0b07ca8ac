"""What each kind of widget shows: public records only, read through the same public lists the
platform's own pages read (the search index for records, the published events and courses).

Every function reads in the active language and costs a fixed number of queries, whatever the
number of items asked for.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language

from clearinghouse.core.languages import content_language, language_names
from clearinghouse.core.multilingual import RTL_LANGUAGES, show
from clearinghouse.events import ical, when
from clearinghouse.events.models import Event
from clearinghouse.events.services import upcoming_condition
from clearinghouse.geo.models import Country, Region
from clearinghouse.learning.models import Course
from clearinghouse.publishing import registry
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.labels import RECORD_TYPES
from clearinghouse.search.links import for_reader
from clearinghouse.vocabularies.models import Term

SUMMARY_WORDS = 30


@dataclass(frozen=True)
class Item:
    """One line of a widget."""

    identifier: str
    type: str  # the record type's name in the registry (need, event, course...)
    type_label: str
    title: str
    language: str  # of the title: a record not translated shows in its original language
    url: str  # the record's page, in the widget's language
    date: datetime | None
    date_text: str
    place: str = ""
    summary: str = ""

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class Listing:
    items: list[Item]
    more: str  # the platform's page with the whole list
    total: int | None = None
    searched: bool = False
    notices: list[str] = field(default_factory=list)


def _searchable_types(name: str) -> list[str]:
    if name:
        return [name]
    return [kind.name for kind in registry.record_types() if kind.search is not None]


def records(country: Country | None, type_name: str, count: int, text: str = "") -> Listing:
    """The newest public records of a country (of one type, or of every type), or, given
    ``text``, those that match it best: what the platform's search finds."""
    language = content_language()
    filters: dict[str, list[str]] = {"record_type": _searchable_types(type_name)}
    if country is not None:
        filters["party"] = [country.code]
    result = service.search(
        SearchQuery(
            text=text,
            filters=filters,
            sort="relevance" if text else "newest",
            page_size=count,
            facets=(),
            language=language,
        )
    )
    items = [
        Item(
            identifier=hit.key,
            type=hit.record_type,
            type_label=str(RECORD_TYPES.get(hit.record_type, hit.record_type)),
            title=hit.title,
            language=hit.title_language or language,
            url=for_reader(hit.url) if hit.url else reverse("resolve", args=[hit.key]),
            date=hit.published_at,
            date_text=date_format(hit.published_at, "DATE_FORMAT"),
            # Escaped text with <mark> around matches: the words alone are enough here.
            summary=strip_tags(hit.snippet) if text else "",
        )
        for hit in result.hits
    ]
    wanted = {"q": text} if text else {}
    if country is not None:
        wanted["party"] = country.code
    if type_name:
        wanted["record_type"] = type_name
    more = reverse("search:index") + (f"?{urlencode(wanted)}" if wanted else "")
    notices = [result.notice] if result.notice else []
    return Listing(items, more, total=result.total, searched=bool(text), notices=notices)


def _in_place(paths: tuple[str, ...], country: Country | None, region: Region | None) -> Q:
    """Records whose country at one of ``paths`` is ``country`` and lies in ``region`` (any level
    of it: a region, subregion or intermediate region)."""
    condition = Q()
    if country is not None:
        condition &= _any(Q(**{path: country}) for path in paths)
    if region is not None:
        levels = ("region", "subregion", "intermediate_region")
        condition &= _any(Q(**{f"{path}__{level}": region}) for path in paths for level in levels)
    return condition


def _any(conditions: Iterable[Q]) -> Q:
    return reduce(operator.or_, conditions)


def _label(record_type: type[Event] | type[Course]) -> str:
    return str(registry.of(record_type).label)


def events(country: Country | None, region: Region | None, topic: Term | None, count: int) -> Listing:
    """Published events still to come, soonest first, organised by or held in the country (or
    the region), on the subject when one is given."""
    found: QuerySet[Event] = Event.objects.filter(live=True).filter(upcoming_condition())
    found = found.filter(
        _in_place(("owner_country", "owner_organisation__country", "venue_country"), country, region)
    )
    if topic is not None:
        found = found.filter(subjects=topic)
    found = found.select_related("venue_country").order_by("starts_at", "pk")[:count]
    label = _label(Event)
    items = []
    for event in found:
        title = show(event.title, event.original_language)
        items.append(
            Item(
                identifier=event.identifier,
                type=registry.of(Event).name,
                type_label=label,
                title=title.text or event.identifier,
                language=title.language,
                url=event.get_absolute_url(),
                date=event.starts_at,
                date_text=when.span(event),
                place=ical.location(event),
            )
        )
    return Listing(items, reverse("events:list"))


def courses(country: Country | None, topic: Term | None, count: int) -> Listing:
    """Published courses, newest first: those the country or its organisations offer, on the
    subject when one is given."""
    found: QuerySet[Course] = Course.objects.filter(live=True)
    found = found.filter(_in_place(("owner_country", "owner_organisation__country"), country, None))
    if topic is not None:
        found = found.filter(subjects=topic)
    found = found.order_by("-first_published_at", "-pk")[:count]
    label = _label(Course)
    language = get_language()
    items = []
    for course in found:
        title = show(course.title, course.original_language)
        summary = show(course.summary, course.original_language)
        names = ", ".join(name for _code, name in language_names(course.languages or [], language))
        items.append(
            Item(
                identifier=course.identifier,
                type=registry.of(Course).name,
                type_label=label,
                title=title.text or course.identifier,
                language=title.language,
                url=course.get_absolute_url(),
                date=course.first_published_at,
                date_text=date_format(course.first_published_at, "DATE_FORMAT")
                if course.first_published_at
                else "",
                place=names,
                summary=Truncator(summary.text).words(SUMMARY_WORDS),
            )
        )
    return Listing(items, reverse("learning:catalogue"))
