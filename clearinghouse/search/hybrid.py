"""Words and meaning together: the lexical matches and the records nearest in meaning to a query,
fused by rank.

For a text query ``service.search`` finds the lexical matches as before (words, with the names
the query's concepts have in the other languages, see ``expansion``), then asks ``find`` for the
records nearest in meaning (``semantic.get_retriever``; none configured: lexical only, as
before). Those records are looked up in the index by key (a key the index does not hold is
dropped) and must pass the query's filters like any match: facet values, record type and dates.
The semantic hits that are not lexical matches ("semantic-only") join the result set: they count
in the total and the facets, and are found on the pages like the others.

Order by relevance: weighted reciprocal-rank fusion (RRF) of up to three ranked lists — the
``window`` best lexical matches, the best matches of the words as typed (when expansion added
alternatives, so that records holding what was typed rank above those found through a
translation) and the semantic hits — each record scoring ``weight / (constant + rank)`` in each
list that holds it. The fused list is the first pages; after it the lexical order continues,
leaving out what the fused list already showed. Order by date: the same records (lexical and
semantic-only) newest or oldest first.

The weights, the constant and the similarity a semantic-only hit needs were chosen on the
development set (``data/devset.jsonl``; docs/search.md, "How a query is answered").
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from clearinghouse.search import semantic
from clearinghouse.search.backends.base import Backend, Match, Ranked
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.text import MAX_QUERY_LENGTH, Clause, ParsedQuery, index_terms

logger = logging.getLogger(__name__)

Lexical = Callable[[int, int], list[Ranked]]


@dataclass(frozen=True)
class Fusion:
    """How the lists are fused (chosen on the development set, see docs/search.md)."""

    window: int = 100  # lexical matches fused with the semantic hits
    nearest: int = 50  # semantic hits asked for
    constant: float = 60.0  # RRF's k: larger flattens the difference between ranks
    lexical_weight: float = 1.0
    typed_weight: float = 1.0  # the words as typed, without expansion
    semantic_weight: float = 1.0
    floor: float = 0.0  # similarity a semantic-only hit needs to join the results


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

    def has(sequence: tuple[str, ...]) -> bool:
        for terms, words in zip(titles, present, strict=True):
            if not all(term in words for term in sequence):
                continue
            if len(sequence) == 1:
                return True
            width = len(sequence)
            if any(
                tuple(terms[start : start + width]) == sequence for start in range(len(terms) - width + 1)
            ):
                return True
        return False

    return all(any(has(sequence) for sequence in clause) for clause in clauses)


def _columns(entry: Mapping[str, Any]) -> list[list[str]]:
    """The record's title terms and body terms, as the index holds them."""
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
    only: list[int]  # those of them that are not lexical matches: they join the results
    counts: dict[str, Counter[str]]  # facet counts of the semantic-only hits
    typed: Lexical | None  # ranking of the words as typed, when expansion added others
    fusion: Fusion

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
        top = lexical(window, 0)
        lists: list[tuple[Sequence[int], float]] = [([item.id for item in top], self.fusion.lexical_weight)]
        if self.typed is not None:
            lists.append(([item.id for item in self.typed(window, 0)], self.fusion.typed_weight))
        lists.append((self.nearest, self.fusion.semantic_weight))
        fused = rrf(lists, self.fusion.constant)
        page = fused[offset : offset + limit]
        if len(page) == limit or len(top) < window:
            return page
        # Past the fused list, the lexical order goes on without what the fused list showed.
        shown = {item.id for item in fused} - {item.id for item in top}
        start = max(0, offset - len(fused))
        wanted = start + limit - len(page)
        rest = [item for item in lexical(wanted + len(shown), window) if item.id not in shown]
        return page + rest[start : start + limit - len(page)]


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
) -> Meaning | None:
    """What meaning adds to a text query; None when nothing does (no retriever and no expansion,
    or no words): the lexical path is then the whole answer.

    ``rows`` are every lexical match that passes all filters but at most one, when the service
    read them all (None when it sampled them): a semantic hit among them is a lexical match.
    Otherwise whether a semantic hit matches the words is worked out from its stored text, with
    the engines' own analysis.
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

        def typed_ranking(limit: int, offset: int) -> list[Ranked]:
            return backend.ranked(replace(main, clauses=typed.clauses), "relevance", limit, offset)

    hits = _nearest(retriever, query, fusion.nearest)
    similarity = {hit.key: hit.score for hit in hits}
    fields = ["id", "key", "facet_values"] + ([] if rows is not None else ["titles", "texts", "language"])
    entries = {
        entry["key"]: entry for entry in SearchEntry.objects.filter(key__in=list(similarity)).values(*fields)
    }
    found = [
        entries[hit.key]
        for hit in hits
        if hit.key in entries
        and (main.id_min is None or entries[hit.key]["id"] >= main.id_min)
        and (main.id_max is None or entries[hit.key]["id"] <= main.id_max)
    ]
    if rows is not None:
        matched = {entry for entry, _values in rows}
        lexical = {entry["id"] for entry in found if entry["id"] in matched}
    else:
        lexical = {entry["id"] for entry in found if holds_words(_columns(entry), main.clauses)}
    _counts, passing = _filtered([(entry["id"], entry["facet_values"]) for entry in found], groups, ())
    allowed = set(passing)
    only_rows = [
        (entry["id"], entry["facet_values"])
        for entry in found
        if entry["id"] not in lexical and similarity[entry["key"]] >= fusion.floor
    ]
    counts, only = _filtered(only_rows, groups, query.facets)
    kept = set(only) | lexical
    return Meaning(
        nearest=[entry["id"] for entry in found if entry["id"] in allowed and entry["id"] in kept],
        only=only,
        counts=counts,
        typed=typed_ranking,
        fusion=fusion,
    )


def _nearest(
    retriever: semantic.Retriever | None, query: SearchQuery, limit: int
) -> list[semantic.SemanticHit]:
    if retriever is None:
        return []
    try:
        return list(retriever.nearest(query.text[:MAX_QUERY_LENGTH], query.language, limit))
    except Exception:  # a search answers by its words when the meaning index fails
        logger.exception("Retrieval by meaning failed; answering by words only")
        return []
