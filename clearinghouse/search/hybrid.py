"""Words and meaning together: the lexical matches, the records holding some of the words and
the records nearest in meaning to a query, fused by rank.

For a text query ``service.search`` finds the lexical matches as before (words, with the names
the query's concepts have in the other languages, see ``expansion``), then asks ``find`` for the
records nearest in meaning (``semantic.get_retriever``) and, for a query of several words, the
records holding the most of them. With no retriever and nothing expanded, the lexical answer is
the whole answer, as before. Candidates are looked up in the index (a key it does not hold is
dropped) and must pass the query's filters like any match: facet values, record type and dates.
Those that are not lexical matches join the result set: they count in the total and the facets,
and are found on the pages like the others.

Order by relevance: weighted reciprocal-rank fusion (RRF) of up to six ranked lists — the
``window`` best lexical matches, the best matches of the words as typed (when expansion added
alternatives, so that records holding what was typed rank above those found through a
translation), the records holding some of the words, the records holding every word that has
names in other languages (when some words have none: a record in another language cannot hold
a word that was not translated), the semantic hits and the feedback hits — each record scoring
``weight / (constant + rank)`` in each list that holds it. The feedback hits
(pseudo-relevance feedback) are the records nearest in meaning to the ``feedback`` best records
of the first lists' fusion, taken together: after centring, their centroid leans to no
language, so it finds the same topic in the other languages. Only a retriever that implements
``semantic.FeedbackRetriever`` is asked; they are candidates like the semantic hits. The fused
list is the first pages; after it the lexical order continues, leaving out what the fused list
already showed. Order by date: the same records (lexical and joining) newest or oldest first.

The weights, the constant and the similarity a semantic-only hit needs were chosen on the
development set (``data/devset.jsonl``; docs/search.md, "How a query is answered").
"""

from __future__ import annotations

import heapq
import logging
import os
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.db.models import Q

from clearinghouse.search import semantic
from clearinghouse.search.backends.base import Backend, Match, Ranked
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.entries import BUCKETS
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.text import MAX_QUERY_LENGTH, Clause, ParsedQuery, index_terms

logger = logging.getLogger(__name__)

Lexical = Callable[[int, int], list[Ranked]]
# The records holding some of the words are counted on a sample of 1/64 before they are ranked
# (``Backend.holders_limit``).
PARTIAL_SAMPLE = 64


@dataclass(frozen=True)
class Fusion:
    """How the lists are fused (chosen on the development set, see docs/search.md)."""

    window: int = 100  # lexical matches fused with the semantic hits
    nearest: int = 50  # semantic hits asked for
    constant: float = 3.0  # RRF's k: larger flattens the difference between ranks
    lexical_weight: float = 1.0
    typed_weight: float = 1.0  # the words as typed, without expansion
    # Half: the feedback hits carry meaning across languages better than the query's own vector.
    semantic_weight: float = 0.5
    floor: float = 0.1  # similarity a semantic-only hit needs to join the results
    partial: int = 50  # records holding some of the words fused (queries of several words)
    partial_weight: float = 1.0
    translated: int = 50  # records holding every word that has names in other languages
    translated_weight: float = 1.0
    feedback: int = 4  # best fused records whose centroid is searched again (0: no feedback)
    feedback_weight: float = 1.5


FUSION = Fusion()


def rrf(lists: Sequence[tuple[Sequence[int], float]], constant: float) -> list[Ranked]:
    """Weighted reciprocal-rank fusion: ids by the sum of ``weight / (constant + rank)`` over
    the lists that hold them (rank from 1), best first; ties keep the first list's order."""
    scores: dict[int, float] = {}
    for ids, weight in lists:
        for rank, entry in enumerate(ids, start=1):
            scores[entry] = scores.get(entry, 0.0) + weight / (constant + rank)
    order = {entry: position for position, entry in enumerate(scores)}
    return [
        Ranked(entry, score)
        for entry, score in sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
    ]


def holds_words(titles: Sequence[Sequence[str]], clauses: Sequence[Clause]) -> bool:
    """Whether a record whose title and body terms are ``titles`` matches every clause, as the
    engines would (a sequence of several terms must appear in order)."""
    present = [set(terms) for terms in titles]
    # An expanded clause has up to MAX_ALTERNATIVES names: most are not in the record at all,
    # which one set test tells.
    anywhere = set().union(*present)

    def has(sequence: tuple[str, ...]) -> bool:
        if not anywhere.issuperset(sequence):
            return False
        for terms, words in zip(titles, present, strict=True):
            if not words.issuperset(sequence):
                continue
            if len(sequence) == 1:
                return True
            # Only where the first term is can the sequence start.
            width, start = len(sequence), -1
            while True:
                try:
                    start = terms.index(sequence[0], start + 1)
                except ValueError:
                    break
                if tuple(terms[start : start + width]) == sequence:
                    return True
        return False

    return all(any(has(sequence) for sequence in clause) for clause in clauses)


def _columns(entry: Mapping[str, Any]) -> list[list[str]]:
    """The record's title terms and body terms, as the index holds them, made again from its
    stored text (when the backend does not give them)."""
    columns = []
    for field in ("titles", "texts"):
        values: Mapping[str, str] = entry[field] or {}
        terms: list[str] = []
        for language in sorted(values, key=lambda code: (code != entry["language"], code)):
            terms += index_terms(values[language], language)
        columns.append(terms)
    return columns


@dataclass
class Meaning:
    """What meaning adds to one query's lexical matches."""

    nearest: list[int]  # semantic hits passing every filter, nearest first
    partial: list[int]  # records holding some of the words, passing every filter, best first
    only: list[int]  # those of both that are not lexical matches: they join the results
    counts: dict[str, Counter[str]]  # facet counts of the semantic-only hits
    typed: Lexical | None  # ranking of the words as typed, when expansion added others
    fusion: Fusion
    feedback: Sequence[int] = ()  # nearest the best fused records, passing every filter
    translated: Sequence[int] = ()  # holding every word that has names elsewhere, passing every filter
    top: Sequence[Ranked] | None = None  # the best lexical matches, when the feedback read them

    def add_counts(self, facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
        merged = {}
        for facet, values in facets.items():
            counter = Counter(values)
            counter.update(self.counts.get(facet, Counter()))
            merged[facet] = dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))
        return merged

    def page(self, sort: str, limit: int, offset: int, lexical: Lexical) -> list[Ranked]:
        """A page of the lexical matches and the semantic-only hits together."""
        if sort != "relevance":
            return _by_date(self.only, sort == "oldest", limit, offset, lexical)
        window = self.fusion.window
        top = self.top if self.top is not None else lexical(window, 0)
        fused = self.fused(top)
        page = fused[offset : offset + limit]
        if len(page) == limit or len(top) < window:
            return page
        # Past the fused list, the lexical order goes on without what the fused list showed.
        shown = {item.id for item in fused} - {item.id for item in top}
        start = max(0, offset - len(fused))
        wanted = start + limit - len(page)
        rest = [item for item in lexical(wanted + len(shown), window) if item.id not in shown]
        return page + rest[start : start + limit - len(page)]

    def fused(self, top: Sequence[Ranked]) -> list[Ranked]:
        """Every list fused (``top``: the best lexical matches), best first."""
        lists: list[tuple[Sequence[int], float]] = [([item.id for item in top], self.fusion.lexical_weight)]
        if self.typed is not None:
            lists.append(([item.id for item in self.typed(self.fusion.window, 0)], self.fusion.typed_weight))
        lists.append((self.partial, self.fusion.partial_weight))
        if self.translated:
            lists.append((self.translated, self.fusion.translated_weight))
        lists.append((self.nearest, self.fusion.semantic_weight))
        if self.feedback:
            lists.append((self.feedback, self.fusion.feedback_weight))
        return rrf(lists, self.fusion.constant)


def _by_date(extra: list[int], oldest: bool, limit: int, offset: int, lexical: Lexical) -> list[Ranked]:
    """A page of the lexical matches (``lexical`` gives them in date order, that is id order)
    merged with ``extra`` ids in the same order."""
    extra = sorted(extra, reverse=not oldest)

    def before(first: int, second: int) -> bool:
        return first < second if oldest else first > second

    skip = max(0, offset - len(extra))
    if skip == 0:
        lexical_part = lexical(offset + limit, 0)
        start, pending = 0, extra
    else:
        # The lexical match just before the part read says how many extra ids come before it.
        lexical_part = lexical(offset + limit - skip + 1, skip - 1)
        if not lexical_part:
            return []
        last_before = lexical_part.pop(0).id
        pending = [entry for entry in extra if not before(entry, last_before)]
        start = skip + len(extra) - len(pending)
    merged = list(
        heapq.merge(
            lexical_part,
            [Ranked(entry, 0.0) for entry in pending],
            key=lambda item: item.id if oldest else -item.id,
        )
    )
    return merged[offset - start : offset - start + limit]


def _filtered(
    rows: list[tuple[int, str]], groups: Mapping[str, tuple[str, ...]], facets: Collection[str]
) -> tuple[dict[str, Counter[str]], list[int]]:
    from clearinghouse.search.service import count_facets  # the service imports this module

    return count_facets(rows, groups, facets)


def find(
    query: SearchQuery,
    typed: ParsedQuery,
    main: Match,
    groups: Mapping[str, tuple[str, ...]],
    rows: list[tuple[int, str]] | None,
    backend: Backend,
    fusion: Fusion | None = None,
    relevance: Lexical | None = None,
    nearest: Callable[[], list[semantic.SemanticHit]] | None = None,
) -> Meaning | None:
    """What meaning adds to a text query; None when nothing does (no retriever and no expansion,
    or no words): the lexical path is then the whole answer.

    Four kinds of records may join the lexical matches: the semantic hits, the records that
    hold some but not all of the query's words (the best ``partial`` of them by the engine's
    relevance, when the query has several words), those holding every word that expansion gave
    names in other languages (the best ``translated``, when some words have none) and the
    feedback hits, nearest the best
    records of a first fusion (``relevance`` ranks the lexical matches for it; without it, or
    with ``fusion.feedback`` 0, there is no feedback). All are filtered like the matches.
    ``nearest`` waits for the semantic hits when the service began their search (``begin``).
    ``rows`` are every lexical match that passes all filters but at most one, when the service
    read them all (None when it sampled them): a candidate among them is a lexical match.
    Otherwise whether it matches the words is worked out from its stored text, with the engines'
    own analysis.
    """
    if not main.clauses:
        return None
    fusion = fusion or FUSION
    retriever = semantic.get_retriever()
    expanded = main.clauses != typed.clauses
    if retriever is None and not expanded:
        return None
    typed_ranking: Lexical | None = None
    if expanded and rows is not None:

        @cache  # asked again by the fusion after the feedback
        def typed_ranking(limit: int, offset: int) -> list[Ranked]:
            return backend.ranked(replace(main, clauses=typed.clauses), "relevance", limit, offset)

    hits = (
        nearest() if nearest is not None else _nearest(retriever, query.text, query.language, fusion.nearest)
    )
    partial = _partial(backend, main, fusion.partial) if rows is not None else []
    lookup = _Lookup(backend, main, rows)
    translated = _translated(backend, main, typed, fusion.translated) if rows is not None else []
    words = Words(partial, translated, typed_ranking)
    meaning = _admit(query, main, groups, lookup, hits, [], words, fusion)
    if fusion.feedback <= 0 or relevance is None or not isinstance(retriever, semantic.FeedbackRetriever):
        return meaning
    # Pseudo-relevance feedback: the records nearest the best fused ones, taken together.
    top = relevance(fusion.window, 0)
    best = [item.id for item in meaning.fused(top)[: fusion.feedback]]
    if not best:
        return meaning
    keys = dict(SearchEntry.objects.filter(id__in=best).values_list("id", "key"))
    around = _around(retriever, [keys[entry] for entry in best if entry in keys], query, fusion.nearest)
    if not around:
        return replace(meaning, top=top)
    return replace(_admit(query, main, groups, lookup, hits, around, words, fusion), top=top)


class _Lookup:
    """The candidates' entries, and which of them are lexical matches, each found out once per
    search: the feedback admits the first candidates again beside its own."""

    def __init__(self, backend: Backend, main: Match, rows: list[tuple[int, str]] | None) -> None:
        self.backend = backend
        self.words = Match(clauses=main.clauses)
        self.matched = {entry for entry, _values in rows} if rows is not None else None
        self.entries: dict[int, dict[str, Any]] = {}
        self.keys: set[str] = set()
        self.ids: set[int] = set()
        self.holding: dict[int, bool] = {}

    def entries_of(self, keys: Collection[str], ids: Collection[int]) -> dict[int, dict[str, Any]]:
        """The entries of these keys and these ids (those in the index), by id."""
        new_keys = [key for key in keys if key not in self.keys]
        new_ids = [entry for entry in ids if entry not in self.ids]
        if new_keys or new_ids:
            found = SearchEntry.objects.filter(Q(key__in=new_keys) | Q(id__in=new_ids)).values(
                "id", "key", "facet_values"
            )
            self.entries.update((entry["id"], dict(entry)) for entry in found)
            self.keys.update(new_keys)
            self.ids.update(new_ids)
        wanted_keys, wanted_ids = set(keys), set(ids)
        return {
            entry: row
            for entry, row in sorted(self.entries.items())
            if row["key"] in wanted_keys or entry in wanted_ids
        }

    def lexical(self, ids: Collection[int]) -> set[int]:
        """Those of ``ids`` that match the words: known from the rows when the service read them
        all, else asked of the engine or worked out from the terms each entry is indexed with."""
        if self.matched is not None:
            return {entry for entry in ids if entry in self.matched}
        unknown = [entry for entry in ids if entry not in self.holding]
        if unknown:
            matched = self.backend.matched_among(self.words, unknown)
            if matched is None:
                matched = self._holding_by_terms(unknown)
            self.holding.update((entry, entry in matched) for entry in unknown)
        return {entry for entry in ids if self.holding[entry]}

    def _holding_by_terms(self, ids: list[int]) -> set[int]:
        """Those of ``ids`` whose indexed terms (or, when the engine keeps none readable, the
        terms of their stored text) hold the words."""
        columns = self.backend.indexed_terms(ids)
        if columns is None:
            columns = {
                row["id"]: _columns(row)
                for row in SearchEntry.objects.filter(id__in=ids).values("id", "titles", "texts", "language")
            }
        clauses = self.words.clauses
        return {entry for entry in ids if entry in columns and holds_words(columns[entry], clauses)}


def _admit(
    query: SearchQuery,
    main: Match,
    groups: Mapping[str, tuple[str, ...]],
    lookup: _Lookup,
    hits: Sequence[semantic.SemanticHit],
    around: Sequence[semantic.SemanticHit],
    words: Words,
    fusion: Fusion,
) -> Meaning:
    """The candidates (semantic hits, feedback hits, records holding some of the words or every
    word that has names in other languages) looked up in the index and filtered like the
    matches; those that are not matches join them."""
    similarity = {hit.key: hit.score for hit in hits}
    for hit in around:
        similarity[hit.key] = max(hit.score, similarity.get(hit.key, hit.score))
    entries = lookup.entries_of(similarity, [*words.partial, *words.translated])
    in_range = {
        entry["id"]: entry
        for entry in entries.values()
        if (main.id_min is None or entry["id"] >= main.id_min)
        and (main.id_max is None or entry["id"] <= main.id_max)
    }
    by_key = {entry["key"]: entry["id"] for entry in in_range.values()}
    nearest = [by_key[hit.key] for hit in hits if hit.key in by_key]
    fed_back = [by_key[hit.key] for hit in around if hit.key in by_key]
    partial = [entry for entry in words.partial if entry in in_range]
    translated = [entry for entry in words.translated if entry in in_range]
    lexical = lookup.lexical(in_range)
    _counts, passing = _filtered(
        [(entry, row["facet_values"]) for entry, row in in_range.items()], groups, ()
    )
    near_enough = {
        entry for entry in nearest + fed_back if similarity[in_range[entry]["key"]] >= fusion.floor
    }
    joining = [
        (entry, row["facet_values"])
        for entry, row in in_range.items()
        if entry not in lexical and (entry in near_enough or entry in partial or entry in translated)
    ]
    counts, only = _filtered(joining, groups, query.facets)
    kept = set(passing) & (set(only) | lexical)
    return Meaning(
        nearest=[entry for entry in nearest if entry in kept],
        partial=[entry for entry in partial if entry in kept],
        only=only,
        counts=counts,
        typed=words.typed,
        fusion=fusion,
        feedback=[entry for entry in fed_back if entry in kept],
        translated=[entry for entry in translated if entry in kept],
    )


@dataclass(frozen=True)
class Words:
    """What the words bring beside the lexical matches, found once for both fusions."""

    partial: list[int]  # records holding some of the words, best first
    translated: list[int]  # records holding every word that has names in other languages
    typed: Lexical | None  # ranking of the words as typed, when expansion added others


def _translated(backend: Backend, main: Match, typed: ParsedQuery, limit: int) -> list[int]:
    """The records holding every word that expansion gave names in other languages, whatever
    the other words, best first. A word without such names is found only in records of its own
    language, so requiring it keeps out the records of the other languages that hold all the
    rest (a glossary concept typed beside "biodiversity", which the glossary leaves out as too
    common to expand). None when every word or no word has names, or when those words are so
    common that ranking their records would cost more than it brings."""
    if limit <= 0 or len(main.clauses) != len(typed.clauses):
        return []
    named = tuple(
        clause for clause, as_typed in zip(main.clauses, typed.clauses, strict=True) if clause != as_typed
    )
    if not named or len(named) == len(main.clauses):
        return []
    return _best_unless_common(backend, Match(clauses=named, id_min=main.id_min, id_max=main.id_max), limit)


def _partial(backend: Backend, main: Match, limit: int) -> list[int]:
    """The records holding the most of the query's words (any one of them is enough), best
    first; none for a one-word query, or when the words are so common that ranking the records
    holding any of them would cost more than it brings."""
    if limit <= 0 or (len(main.clauses) < 2 and all(len(sequence) < 2 for sequence in main.clauses[0])):
        return []
    # Each term on its own: a record holding "invasive" and "species" apart comes before one
    # holding only "species"; bm25 weighs the rare terms above the common ones.
    anything = Match(
        clauses=(tuple((term,) for term in main.terms()),),
        id_min=main.id_min,
        id_max=main.id_max,
    )
    return _best_unless_common(backend, anything, limit)


def _best_unless_common(backend: Backend, match: Match, limit: int) -> list[int]:
    """The ``limit`` best records of ``match``; none when more than the backend's
    ``holders_limit`` records hold it (counted on a sample), as ranking them all would cost more
    than it brings."""
    estimate = backend.count(replace(match, sample=PARTIAL_SAMPLE)) * (BUCKETS // PARTIAL_SAMPLE)
    if estimate > backend.holders_limit:
        return []
    return backend.best_holders(match, limit)


def begin(query: SearchQuery, main: Match) -> Callable[[], list[semantic.SemanticHit]]:
    """Begins the search by meaning that ``find`` will ask for; the function returned waits for
    its hits. With a retriever that can split it (``PreparedRetriever``), the database is read
    here and the rest (embedding the query, scanning the vectors) runs in a thread of its own
    while the words are searched: both mostly wait on C code that lets the other thread run
    (numpy's BLAS, SQLite or the PostgreSQL server), so on a machine with a core to spare the
    search by meaning costs little of the whole call. A failure is logged and answers nothing,
    as in ``find``."""
    retriever = semantic.get_retriever()
    if retriever is None or not main.clauses:
        return list
    text, limit = query.text[:MAX_QUERY_LENGTH], FUSION.nearest
    if not isinstance(retriever, semantic.PreparedRetriever):
        return lambda: _nearest(retriever, text, query.language, limit)
    try:
        prepared = retriever.prepare(text, query.language, limit)
    except Exception:  # a search answers by its words when the meaning index fails
        logger.exception("Retrieval by meaning failed; answering by words only")
        return list
    if not prepared.threaded:
        return lambda: _hits_of(prepared.run)
    future = _threads().submit(prepared.run)
    return lambda: _hits_of(future.result)


@cache
def _pool(pid: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="meaning")


def _threads() -> ThreadPoolExecutor:
    """This process's threads for searches by meaning (made after a fork: threads do not
    survive one)."""
    return _pool(os.getpid())


def _hits_of(run: Callable[[], Sequence[semantic.SemanticHit]]) -> list[semantic.SemanticHit]:
    try:
        return list(run())
    except Exception:  # a search answers by its words when the meaning index fails
        logger.exception("Retrieval by meaning failed; answering by words only")
        return []


def _nearest(
    retriever: semantic.Retriever | None, text: str, language: str, limit: int
) -> list[semantic.SemanticHit]:
    if retriever is None:
        return []
    return _hits_of(lambda: retriever.nearest(text[:MAX_QUERY_LENGTH], language, limit))


def _around(
    retriever: semantic.FeedbackRetriever, keys: list[str], query: SearchQuery, limit: int
) -> list[semantic.SemanticHit]:
    if not keys:
        return []
    try:
        return list(retriever.around(keys, limit, query.text[:MAX_QUERY_LENGTH], query.language))
    except Exception:  # the feedback only adds to an answer that stands without it
        logger.exception("Feedback by meaning failed; answering without it")
        return []
