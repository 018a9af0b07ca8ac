"""The search service: the only way registries and pages reach the index.

    search(query) -> SearchResult        index(documents)   remove(keys)   rebuild(documents)
    first_published_between(query, after, until, ...) -> list[SearchHit]   (for e-mail alerts)

The backend follows the database in use (SQLite FTS5 or PostgreSQL full-text search); text
processing, facet counting, ranking windows and snippets are done here, the same for both.

Very large result sets. Counting facets and ranking by relevance take time in proportion to the
number of matches, which at a million records can be most of the index. So when a query matches
more than EXACT_LIMIT records, facet counts and the total are estimated from a uniform sample of
SAMPLE_TARGET / 2 to SAMPLE_TARGET matches (the records whose id falls in the first buckets; see
``entries``), and relevance ranks the backend's ``rank_window`` newest matches, the older ones
following newest first. The result then says ``approximate`` (the total) and names the facets
whose counts are estimates (``approximate_facets``). See docs/search.md for the measurements.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import islice
from typing import NamedTuple

from django.db import connection, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.search import expansion, hybrid
from clearinghouse.search.backends.base import Backend, Conjunction, Match, Ranked
from clearinghouse.search.documents import (
    MAX_PAGE_SIZE,
    SORTS,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from clearinghouse.search.entries import (
    BUCKET_BITS,
    BUCKETS,
    IdAllocator,
    IndexedEntry,
    RebuildIds,
    build_entry,
    clean_code,
    entry_id,
    facet_token,
    first_id,
    id_range,
    sample_bound,
    time_tokens,
)
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.snippets import has_match, pick_language, snippet
from clearinghouse.search.text import MAX_QUERY_CLAUSES, MAX_QUERY_LENGTH, parse_query

EXACT_LIMIT = 3000
SAMPLE_TARGET = 2000
ESTIMATE_BOUND = 8  # buckets of 4,096 counted to estimate a result set's size (1/512)
# Deeper pages cost more than anyone reads: like most engines, stop at 10,000 results.
MAX_RESULT_WINDOW = 10_000
BATCH_SIZE = 2000
# Matches read at a time, newest first, when looking for records first published in a window.
FRESH_BATCH = 200


class UnsupportedDatabaseError(RuntimeError):
    pass


def get_backend() -> Backend:
    """The backend for the database in use."""
    from clearinghouse.search.backends.postgres import PostgresBackend
    from clearinghouse.search.backends.sqlite import SQLiteBackend

    backends: dict[str, type[Backend]] = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}
    try:
        return backends[connection.vendor]()
    except KeyError:
        raise UnsupportedDatabaseError(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None


# --- writing ------------------------------------------------------------------------------------


def _batches(documents: Iterable[SearchDocument], size: int = BATCH_SIZE) -> Iterator[list[SearchDocument]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def _unique(batch: list[SearchDocument]) -> list[SearchDocument]:
    # The last version of a key in a batch wins, as it would across batches.
    return list({document.key: document for document in batch}.values())


def _entries(backend: Backend, batch: list[SearchDocument]) -> list[IndexedEntry]:
    # The index holds ids beyond the ones the batch asks for when records published in the same
    # second came before (an import in batches): ask again for the ids given until none is in use.
    taken = backend.taken(entry_id(document.published_at, document.key) for document in batch)
    while clashes := backend.taken(ids := IdAllocator(taken).assign(batch)):
        taken |= clashes
    return [build_entry(document, entry) for document, entry in zip(batch, ids, strict=True)]


def index(documents: Iterable[SearchDocument]) -> int:
    """Add or replace the documents in the index (by key); return how many were indexed."""
    backend = get_backend()
    count = 0
    for batch in _batches(documents):
        batch = _unique(batch)
        with transaction.atomic():
            backend.delete(document.key for document in batch)
            backend.insert(_entries(backend, batch))
        count += len(batch)
    return count


def remove(keys: Iterable[str]) -> int:
    """Take records out of the index; return how many were in it."""
    backend = get_backend()
    with transaction.atomic():
        return backend.delete(list(keys))


def _indexed(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            SearchEntry.objects.filter(key__in=keys[start : start + 500]).values_list("key", flat=True)
        )
    return found


def rebuild(documents: Iterable[SearchDocument]) -> int:
    """Empty the index and fill it with ``documents``, in one transaction; return the count.

    A key given twice keeps its first document (its last within a batch). The documents are
    streamed in batches and nothing is kept of each once the index holds it, so memory stays the
    same however many there are. They are placed fastest in order of publication, as the
    registry's provider gives them (see ``RebuildIds``)."""
    backend = get_backend()
    ids = RebuildIds(backend.taken, backend.taken_between)

    def batches() -> Iterator[list[IndexedEntry]]:
        newest = 0
        for batch in _batches(documents):
            unique = _unique(batch)
            indexed = _indexed([document.key for document in unique])
            fresh = [document for document in unique if document.key not in indexed]
            yield [
                build_entry(document, entry) for document, entry in zip(fresh, ids.assign(fresh), strict=True)
            ]
            # The batch is in the index now: later documents in order never ask for an earlier second.
            newest = max([newest, *(first_id(document.published_at) for document in fresh)])
            ids.forget_below(newest)

    with transaction.atomic():
        backend.clear()
        return backend.bulk_load(batches())


# --- searching ----------------------------------------------------------------------------------


def _filter_groups(filters: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for facet, values in filters.items():
        cleaned = tuple(dict.fromkeys(clean_code(value) for value in values if clean_code(value)))
        if cleaned:
            groups[facet] = cleaned
    return groups


def _all_but_one(tokens: list[tuple[str, ...]]) -> tuple[Conjunction, ...]:
    """Records that pass every filter but at most one: facet counts of a filtered facet are
    counted without its own filter, so that its other values show what choosing them adds."""
    if len(tokens) <= 1:
        return ()
    return tuple(
        tuple(group for index, group in enumerate(tokens) if index != left_out)
        for left_out in range(len(tokens))
    )


def count_facets(
    rows: Iterable[tuple[int, str]], groups: Mapping[str, tuple[str, ...]], wanted: Collection[str]
) -> tuple[dict[str, Counter[str]], list[int]]:
    """Facet counts of rows, and the ids of the rows that pass every filter.

    Each facet counts the rows that pass every filter but its own; ``rows`` may hold rows that
    fail one filter (see ``_all_but_one``), and rows failing two are skipped.
    """
    checks = [(facet, {f"{facet}:{value}" for value in values}) for facet, values in groups.items()]
    # Items are gathered in lists and counted once at the end: one Counter update per row would
    # cost more than everything else here.
    full: list[str] = []
    partial: dict[str, list[str]] = {facet: [] for facet in groups}
    passing: list[int] = []
    for entry, values in rows:
        items = values.split("\n")
        failed: str | None = None
        for facet, wanted_values in checks:
            if wanted_values.isdisjoint(items):
                if failed is not None:
                    break
                failed = facet
        else:
            if failed is None:
                passing.append(entry)
                full.extend(items)
            else:
                partial[failed].extend(items)
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in wanted}
    for item, number in Counter(full).items():
        facet, _colon, value = item.partition(":")
        if facet in counts:
            counts[facet][value] += number
    for facet, items in partial.items():
        if facet in counts:
            prefix = facet + ":"
            for item, number in Counter(items).items():
                if item.startswith(prefix):
                    counts[facet][item[len(prefix) :]] += number
    return counts, passing


def _notices(truncated: bool, dropped: bool, empty: bool) -> str | None:
    if truncated:
        return ngettext(
            "Your search was too long; only the first %(count)s character was used.",
            "Your search was too long; only the first %(count)s characters were used.",
            MAX_QUERY_LENGTH,
        ) % {"count": MAX_QUERY_LENGTH}
    if dropped:
        return ngettext(
            "Your search had too many words; only the first %(count)s was used.",
            "Your search had too many words; only the first %(count)s were used.",
            MAX_QUERY_CLAUSES,
        ) % {"count": MAX_QUERY_CLAUSES}
    if empty:
        return _("Your search had no words to look for; all records are shown.")
    return None


def _clamp(query: SearchQuery) -> tuple[SearchQuery, str | None]:
    page_size = min(max(1, query.page_size), MAX_PAGE_SIZE)
    last_page = max(1, MAX_RESULT_WINDOW // page_size)
    notice = None
    page = max(1, query.page)
    if page > last_page:
        page = last_page
        notice = ngettext(
            "Only the first %(count)s result can be paged through; refine your search.",
            "Only the first %(count)s results can be paged through; refine your search.",
            MAX_RESULT_WINDOW,
        ) % {"count": number_format(MAX_RESULT_WINDOW, force_grouping=True)}
    sort = query.sort if query.sort in SORTS else "relevance"
    return replace(query, page=page, page_size=page_size, sort=sort), notice


def search(query: SearchQuery) -> SearchResult:
    """Run a search: hits of the page asked for, the total, and facet counts over every match
    (estimated on very large result sets, see the module's docstring)."""
    query, page_notice = _clamp(query)
    parsed = parse_query(query.text)
    expanded = expansion.expand(parsed, query.text)
    notice = page_notice or _notices(
        parsed.truncated, parsed.dropped_clauses, bool(query.text.strip()) and not parsed
    )
    groups = _filter_groups(query.filters)
    tokens = [tuple(facet_token(facet, value) for value in values) for facet, values in groups.items()]
    id_min, id_max = id_range(query.published_from, query.published_to)
    main = Match(
        clauses=expanded.clauses, filters=(tuple(tokens),) if tokens else (), id_min=id_min, id_max=id_max
    )
    broad = replace(main, filters=_all_but_one(tokens)) if len(tokens) > 1 else replace(main, filters=())
    backend = get_backend()
    with backend.session():
        # Meaning is searched while the words are (hybrid.begin); find() waits for it.
        nearest = hybrid.begin(query, main)
        rows, bound, scores = _rows(backend, broad)
        counts, passing = count_facets(rows, groups, query.facets)
        scale = BUCKETS / bound
        total_estimated = bound < BUCKETS
        estimated = set(query.facets) if total_estimated else set()
        if total_estimated and groups and len(passing) * scale <= EXACT_LIMIT:
            recounted = _count_matches_exactly(
                backend, main, [facet for facet in query.facets if facet not in groups]
            )
            if recounted is not None:
                exact, passing, scores = recounted
                counts |= exact
                estimated = {facet for facet in query.facets if facet in groups}
                total_estimated = False
        total = round(len(passing) * scale) if total_estimated else len(passing)
        offset = (query.page - 1) * query.page_size
        matches = _Matches(passing, scores) if scores is not None and not total_estimated else None

        def lexical(limit: int, offset: int, sort: str = query.sort) -> list[Ranked]:
            if matches is not None:
                return matches.page(sort, bool(main.clauses), limit, offset)
            if total_estimated and sort == "relevance" and main.clauses:
                return _ranked_in_window(backend, main, passing, scale, limit, offset)
            return backend.ranked(
                main,
                sort,  # type: ignore[arg-type]
                limit,
                offset,
                candidates=None if total_estimated else passing,
            )

        # Records nearest in meaning, and those holding some of the words, join the matches
        # (hybrid.py; nothing changes without a retriever and without expansion).
        meaning = hybrid.find(
            query,
            parsed,
            main,
            groups,
            rows if bound == BUCKETS else None,
            backend,
            relevance=lambda limit, offset: lexical(limit, offset, "relevance"),
            nearest=nearest,
        )
        if meaning is None:
            ranked = lexical(query.page_size, offset)
        else:
            total += len(meaning.only)
            ranked = meaning.page(query.sort, query.page_size, offset, lexical)
        hits = _hits(ranked, query.language, expanded.terms, set(meaning.only) if meaning else set())
    facets = {
        facet: dict(
            sorted(
                (
                    (value, round(number * scale) if facet in estimated else number)
                    for value, number in counter.items()
                ),
                key=_by_count,
            )
        )
        for facet, counter in counts.items()
    }
    if meaning is not None:
        facets = meaning.add_counts(facets)
    return SearchResult(
        hits=hits,
        total=total,
        facets=facets,
        page=query.page,
        page_size=query.page_size,
        notice=notice,
        approximate=total_estimated,
        approximate_facets=tuple(facet for facet in query.facets if facet in estimated),
    )


def first_published_between(
    query: SearchQuery, after: datetime, until: datetime, limit: int, exclude: Collection[str] = ()
) -> list[SearchHit]:
    """The records matching ``query`` first published after ``after`` and at or before ``until``,
    newest first, at most ``limit``, leaving out the keys in ``exclude``: what is new to a saved
    search. Words, filters and published dates act as in ``search``.

    A record's latest publication is never before its first, so the window narrows the matches to
    those published since ``after`` through the ids (an id range, the same in every backend); the
    first publication is then read from the entries.
    """
    # Words only, expanded as on the page, without meaning: the records nearest in meaning are
    # the nearest of whatever the index holds, not records that answer the search, and which
    # they are shifts as records come and go, so a digest would announce records at random.
    parsed = expansion.expand(parse_query(query.text), query.text)
    groups = _filter_groups(query.filters)
    tokens = [tuple(facet_token(facet, value) for value in values) for facet, values in groups.items()]
    low, high = id_range(query.published_from, query.published_to)
    since = int(after.timestamp()) << BUCKET_BITS
    match = Match(
        clauses=parsed.clauses,
        filters=(tuple(tokens),) if tokens else (),
        id_min=since if low is None else max(low, since),
        id_max=high,
    )
    backend = get_backend()
    found: list[Ranked] = []
    offset = 0
    with backend.session():
        while len(found) < limit:
            ranked = backend.ranked(match, "newest", FRESH_BATCH, offset)
            if not ranked:
                break
            offset += len(ranked)
            fresh = set(
                SearchEntry.objects.filter(
                    id__in=[item.id for item in ranked],
                    first_published_at__gt=after,
                    first_published_at__lte=until,
                )
                .exclude(key__in=list(exclude))
                .values_list("id", flat=True)
            )
            found += [item for item in ranked if item.id in fresh]
        return _hits(found[:limit], query.language, parsed.terms)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _read(
    backend: Backend, match: Match, limit: int
) -> tuple[list[tuple[int, str]], dict[int, float] | None]:
    """At most ``limit`` matches with their facet values, and their scores when the backend gives
    them as it reads the rows."""
    scored = backend.scored_rows(match, limit)
    if scored is None:
        return backend.rows(match, limit), None
    return [(entry, values) for entry, values, _score in scored], {
        entry: score for entry, _values, score in scored
    }


def _rows(backend: Backend, match: Match) -> tuple[list[tuple[int, str]], int, dict[int, float] | None]:
    """The rows to count facets on, the bucket bound they were sampled below (BUCKETS: all) and,
    when they are all the rows and the backend scored them as it read them, each row's score."""
    estimate = backend.count(replace(match, sample=ESTIMATE_BOUND)) * (BUCKETS // ESTIMATE_BOUND)
    if estimate <= EXACT_LIMIT:
        rows, scores = _read(backend, match, EXACT_LIMIT + 1)
        if len(rows) <= EXACT_LIMIT:
            return rows, BUCKETS, scores
        estimate = max(estimate, EXACT_LIMIT + 1)
    bound = sample_bound(BUCKETS * SAMPLE_TARGET / estimate)
    return backend.rows(replace(match, sample=bound), limit=None), bound, None


class _Matches:
    """Every match of a search, with its score: pages in any order are cut from them here,
    in the backends' order (relevance: best score first, then newest; ties of date by id),
    rather than asked of the engine again."""

    def __init__(self, ids: list[int], scores: Mapping[int, float]) -> None:
        self.ids = ids
        self.scores = scores
        self.orders: dict[tuple[str, bool], list[int]] = {}

    def page(self, sort: str, words: bool, limit: int, offset: int) -> list[Ranked]:
        key = (sort, words)
        if key not in self.orders:
            if sort == "relevance" and words:
                self.orders[key] = sorted(self.ids, key=lambda entry: (-self.scores[entry], -entry))
            else:
                self.orders[key] = sorted(self.ids, reverse=sort != "oldest")
        return [Ranked(entry, self.scores[entry]) for entry in self.orders[key][offset : offset + limit]]


def _count_matches_exactly(
    backend: Backend, main: Match, facets: list[str]
) -> tuple[dict[str, Counter[str]], list[int], dict[int, float] | None] | None:
    """A selective filter on common words: the rows around the matches were sampled, but the
    matches themselves may be few enough to count exactly (None when they are not); with the
    counts and the matches, their scores when the backend gives them."""
    rows, scores = _read(backend, main, EXACT_LIMIT + 1)
    if len(rows) > EXACT_LIMIT:
        return None
    return *count_facets(rows, {}, facets), scores


def _ranked_in_window(
    backend: Backend, main: Match, sampled: list[int], scale: float, limit: int, offset: int
) -> list[Ranked]:
    """Relevance among the backend's ``rank_window`` newest matches, then the rest newest first.

    The window starts at the sampled match that has about ``rank_window`` matches after it."""
    newest_first = sorted(sampled, reverse=True)
    position = math.ceil(backend.rank_window / scale)
    if position >= len(newest_first):
        return backend.ranked(main, "relevance", limit, offset)
    threshold = newest_first[position - 1]
    months: tuple[str, ...] = ()
    if backend.month_hints(backend.rank_window, round(len(sampled) * scale)):
        months = time_tokens(threshold, backend.max_id() or threshold)
    window = replace(main, window_from=threshold, months=months)
    ranked = backend.ranked(window, "relevance", limit, offset)
    if len(ranked) < limit:
        # The window ends on this page or before it: the older matches follow, newest first.
        in_window = offset + len(ranked) if ranked else backend.count(window)
        older = threshold - 1 if main.id_max is None else min(threshold - 1, main.id_max)
        rest = replace(main, id_max=older)
        ranked += backend.ranked(rest, "newest", limit - len(ranked), max(0, offset - in_window))
    return ranked


class _Stored(NamedTuple):
    key: str
    record_type: str
    language: str
    titles: dict[str, str]
    texts: dict[str, str]
    published_at: datetime
    url: str


def _stored(ids: list[int]) -> dict[int, _Stored]:
    """What hits show of these entries: values rather than model instances (a fifth of the time
    of a page's hits went into making them)."""
    rows = SearchEntry.objects.filter(id__in=ids).values_list(
        "id", "key", "record_type", "language", "titles", "texts", "published_at", "url"
    )
    return {entry: _Stored(*values) for entry, *values in rows}


def _hits(
    ranked: list[Ranked], language: str, terms: frozenset[str], joined: Collection[int] = ()
) -> list[SearchHit]:
    """Hits of ranked entries; those that ``joined`` the matches (``hybrid``) are found by
    meaning when none of the terms is in them."""
    entries = _stored([item.id for item in ranked])
    hits = []
    for item in ranked:
        entry = entries.get(item.id)
        if entry is None:
            continue
        titles: dict[str, str] = entry.titles or {}
        title_language = pick_language(titles, language, entry.language) or entry.language
        texts: dict[str, str] = entry.texts or {}
        text_language = pick_language(texts, language, entry.language)
        if text_language and terms and not has_match(texts[text_language], text_language, terms):
            # Prefer a text where the words are, in whatever language, over one where they aren't.
            others = (code for code in texts if code != text_language)
            text_language = next(
                (code for code in others if has_match(texts[code], code, terms)), text_language
            )
        found_by_meaning = item.id in joined and not any(
            has_match(text, code, terms)
            for values in (titles, texts)
            for code, text in values.items()
            if text.strip()
        )
        hits.append(
            SearchHit(
                key=entry.key,
                record_type=entry.record_type,
                title=titles.get(title_language, entry.key),
                title_language=title_language,
                snippet=snippet(texts[text_language], text_language, terms) if text_language else "",
                score=item.score,
                published_at=entry.published_at,
                url=entry.url,
                snippet_language=text_language or "",
                by_meaning=found_by_meaning,
            )
        )
    return hits


def hit(key: str, language: str) -> SearchHit | None:
    """One indexed record as a hit (titles and snippet in ``language``, no words marked)."""
    entry = SearchEntry.objects.filter(key=key).values_list("id", flat=True).first()
    return next(iter(_hits([Ranked(entry, 0.0)], language, frozenset())), None) if entry else None
