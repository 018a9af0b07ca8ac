"""What the registries give the search service, and what it gives back.

Registries describe each published record as a ``SearchDocument``; the service answers a
``SearchQuery`` with a ``SearchResult``. Nothing here knows about a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

# Facets every registry can fill; a document may carry others, which are stored and can be
# filtered and counted when a query names them.
FACETS = (
    "record_type",
    "party",
    "region",
    "group",
    "target",
    "subject",
    "support_type",
    "language",
    "status",
    # Events' own (clearinghouse.events.records names them and their values).
    "event_kind",
    "when",
    "target_group",
    # Courses' own (clearinghouse.learning.records).
    "course_level",
    # FAQ entries' own (clearinghouse.helpdesk.records).
    "help_topic",
    # Knowledge products' own (clearinghouse.knowledge.records).
    "knowledge_kind",
    # Participants' ratings of events, courses, resources and offers (clearinghouse.quality).
    "rating",
)
DEFAULT_FACETS: tuple[str, ...] = FACETS
SORTS = ("relevance", "newest", "oldest")
# The GET parameter that filters each facet: its name, but for "language", a name the reader's
# language ("language") already has.
FILTER_PARAMETERS = {facet: ("in_language" if facet == "language" else facet) for facet in FACETS}
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchDocument:
    """One published record as search sees it."""

    key: str  # stable public identifier, e.g. "CB-NEED-KE-000123"
    record_type: str  # "need", "request", "offer", "resource", ...
    language: str  # original language, ISO 639-1
    titles: Mapping[str, str]  # language -> title (original and translations)
    texts: Mapping[str, str]  # language -> searchable body text in that language
    facets: Mapping[str, Sequence[str]]  # facet name -> codes
    published_at: datetime  # aware; the latest publication
    url: str = ""
    # Aware; None when the registry doesn't know it (then the same as ``published_at``). Alerts
    # announce a record once, after its first publication, not after each new version.
    first_published_at: datetime | None = None

    @property
    def first_published(self) -> datetime:
        return self.first_published_at or self.published_at


@dataclass(frozen=True)
class SearchQuery:
    """What a reader asks for. Filters are ANDed across facets and ORed within one facet;
    ``record_type`` filters like a facet."""

    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    published_from: date | None = None
    published_to: date | None = None
    sort: str = "relevance"  # "relevance" (recency breaks ties) | "newest" | "oldest"
    page: int = 1
    page_size: int = 20
    facets: Sequence[str] = DEFAULT_FACETS
    language: str = "en"  # the reader's language: titles and snippets in it when there are


@dataclass(frozen=True)
class SearchHit:
    key: str
    record_type: str
    title: str
    title_language: str
    snippet: str  # safe HTML: escaped text with <mark>…</mark> around matches
    score: float
    published_at: datetime
    url: str
    snippet_language: str = ""  # the language of the text the snippet comes from
    by_meaning: bool = False  # found by meaning only: none of the query's words is in the record


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]]
    page: int
    page_size: int
    notice: str | None = None  # translated: the query was changed or partly ignored
    approximate: bool = False  # the total is estimated from a sample (very large result sets)
    approximate_facets: tuple[str, ...] = ()  # the facets whose counts are estimated
