"""The interface every search backend offers the service.

A backend only matches ready-made terms and tokens (see ``text`` and ``entries``): it never
analyses text itself, so every backend finds the same records for the same query.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from clearinghouse.search.entries import IndexedEntry, sample_token
from clearinghouse.search.text import Clause

Order = Literal["relevance", "newest", "oldest"]
Conjunction = tuple[tuple[str, ...], ...]
"""Token groups that must all match; one token of a group is enough (AND of ORs)."""


@dataclass(frozen=True)
class Shared:
    """Clauses that hold the same alternatives, written once: the clauses' own alternatives
    (AND of ORs), or one of the common ones. ``own`` is empty when one of the clauses holds
    nothing but the common alternatives: then one of those is what the clauses ask."""

    own: tuple[Clause, ...]
    common: Clause


@dataclass(frozen=True)
class Match:
    """Which records a query matches.

    ``clauses`` are the words (AND of ORs of phrases); ``filters`` is a disjunction of
    conjunctions of facet-token groups, empty for no condition; ``sample`` (a power of two)
    keeps only the records whose bucket is below it. ``window_from`` is the oldest id of the
    newest matches ranked by relevance (see ``service._ranked_in_window``): a bound like
    ``id_min``, but one that usually spans a large share of the index, so an engine should check
    it on the matches rather than look it up in its id index; ``months`` (a hint, with it) lets
    an engine narrow to recent records through its text index.
    """

    clauses: tuple[Clause, ...] = ()
    filters: tuple[Conjunction, ...] = ()
    sample: int | None = None
    id_min: int | None = None
    id_max: int | None = None
    window_from: int | None = None
    months: tuple[str, ...] = ()

    def terms(self) -> tuple[str, ...]:
        """Every term of the words, once each, in the order of the clauses."""
        return tuple(
            dict.fromkeys(term for clause in self.clauses for sequence in clause for term in sequence)
        )

    def factored(self) -> list[Clause | Shared]:
        """The clauses with each group of alternatives that several of them hold written once,
        the same records matched: (a OR n) AND (b OR n) is (a AND b) OR n. Expansion gives every
        word of a concept's name all its other names, so an expanded query spells each name
        once for every word: an engine that weighs or counts each phrase of the query (FTS5's
        bm25 counts the records of every phrase before it scores a row) does that work once
        instead. Groups are taken largest first; a clause is in at most one."""
        return list(_factored(self.clauses))

    def token_groups(self) -> list[list[tuple[str, ...]]]:
        """The conditions on tokens other than words, as AND of (OR of conjunctions)."""
        groups: list[list[tuple[str, ...]]] = []
        if self.sample is not None:
            groups.append([(sample_token(self.sample),)])
        if self.months:
            groups.append([(token,) for token in self.months])
        return groups

    @property
    def matches_everything(self) -> bool:
        return not (self.clauses or self.filters or self.sample is not None or self.months)


# A search writes the same words in several statements (counts, rows, ranks, samples and
# windows are copies of one match with other bounds): they are factored once.
@lru_cache(maxsize=256)
def _factored(clauses: tuple[Clause, ...]) -> tuple[Clause | Shared, ...]:
    holders: dict[tuple[str, ...], set[int]] = {}
    for index, clause in enumerate(clauses):
        for sequence in clause:
            holders.setdefault(sequence, set()).add(index)
    groups: dict[frozenset[int], list[tuple[str, ...]]] = {}
    for sequence, indexes in holders.items():
        if len(indexes) > 1:
            groups.setdefault(frozenset(indexes), []).append(sequence)
    grouped: dict[int, Shared] = {}
    for members, common in sorted(groups.items(), key=lambda item: (-len(item[0]), min(item[0]))):
        if any(index in grouped for index in members):
            continue
        own = tuple(
            tuple(sequence for sequence in clauses[index] if sequence not in common)
            for index in sorted(members)
        )
        shared = Shared(own=own if all(own) else (), common=tuple(common))
        grouped |= dict.fromkeys(members, shared)
    parts: list[Clause | Shared] = []
    for index, clause in enumerate(clauses):
        part = grouped.get(index, clause)
        if not any(part is seen for seen in parts):
            parts.append(part)
    return tuple(parts)


@dataclass(frozen=True)
class Syntax:
    """How an engine's query language writes a phrase, AND and OR: the match's parts in it."""

    phrase: Callable[[tuple[str, ...]], str]
    both: str
    either: str

    def alternatives(self, options: Iterable[tuple[str, ...]]) -> str:
        parts = [self.phrase(sequence) for sequence in options]
        return parts[0] if len(parts) == 1 else "(" + self.either.join(parts) + ")"

    def words(self, match: Match) -> list[str]:
        """The match's words, a part each (``Match.factored``); all of them must match."""
        parts = []
        for part in match.factored():
            if not isinstance(part, Shared):
                parts.append(self.alternatives(part))
            elif not part.own:
                parts.append(self.alternatives(part.common))
            else:
                own = self.both.join(self.alternatives(clause) for clause in part.own)
                parts.append("(" + self.either.join([f"({own})", *map(self.phrase, part.common)]) + ")")
        return parts

    def tokens(self, match: Match) -> list[str]:
        """The match's conditions on tokens other than words (filters, sample, months), a part
        each; all of them must match."""
        parts = []
        if match.filters:
            conjunctions = [
                self.both.join(self.alternatives((token,) for token in group) for group in conjunction)
                for conjunction in match.filters
            ]
            parts.append(
                conjunctions[0]
                if len(conjunctions) == 1
                else "(" + self.either.join(f"({c})" for c in conjunctions) + ")"
            )
        parts += [self.alternatives(group) for group in match.token_groups()]
        return parts


@dataclass(frozen=True)
class Ranked:
    id: int
    score: float


class Backend(ABC):
    """Stores entries and answers the few questions the service asks of them."""

    vendor: str
    #: How many of the newest matches are ranked by relevance when a query matches very many.
    rank_window: int = 2000
    #: Above about this many records holding them, the records holding some of a query's words
    #: (or every word that has names in other languages) are not ranked as candidates beside the
    #: matches (``hybrid``): ranking them would cost more than it brings.
    holders_limit: int = 20_000

    @contextmanager
    def session(self) -> Iterator[None]:
        """Around the queries of one search."""
        yield

    def month_hints(self, window: int, matches: int) -> bool:
        """Whether year and month tokens (``Match.months``) would help the engine find the
        ``window`` newest of about ``matches`` matches."""
        return False

    @abstractmethod
    def count(self, match: Match) -> int: ...

    @abstractmethod
    def rows(self, match: Match, limit: int | None) -> list[tuple[int, str]]:
        """(id, facet values) of the matched entries."""

    def scored_rows(self, match: Match, limit: int | None) -> list[tuple[int, str, float]] | None:
        """(id, facet values, score) of the matched entries, the score the one ``ranked`` gives
        the entry for the same words, so that the caller can order every match itself without
        matching again; None when the engine cannot score while it reads the rows."""
        return None

    def matched_among(self, match: Match, ids: Sequence[int]) -> set[int] | None:
        """Those of ``ids`` that ``match`` matches, found by the engine itself; None when it cannot
        tell them cheaply (the caller then reads their terms, ``indexed_terms``)."""
        return None

    def indexed_terms(self, ids: Sequence[int]) -> dict[int, list[list[str]]] | None:
        """The title terms and the body terms, in order, that these entries are indexed with;
        None when the engine does not keep them readable."""
        return None

    @abstractmethod
    def ranked(
        self, match: Match, order: Order, limit: int, offset: int, candidates: Sequence[int] | None = None
    ) -> list[Ranked]:
        """A page of the matches in ``order``. ``candidates``, when given, are the ids of every
        match, already known: a backend may rank them without matching again."""

    def best_holders(self, match: Match, limit: int) -> list[int]:
        """The ``limit`` records of ``match`` holding its words best, best first: candidates
        fused beside the matches (``hybrid``), which need a good order, not ``ranked``'s own
        scores. A backend may rank them by a cheaper score."""
        return [item.id for item in self.ranked(match, "relevance", limit, 0)]

    @abstractmethod
    def max_id(self) -> int | None: ...

    @abstractmethod
    def taken(self, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` in use."""

    @abstractmethod
    def taken_between(self, low: int, high: int) -> set[int]:
        """The ids in use from ``low`` up to (not including) ``high``."""

    @abstractmethod
    def insert(self, entries: list[IndexedEntry]) -> None: ...

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> int:
        """Remove the entries of these keys; return how many there were."""

    @abstractmethod
    def clear(self) -> None: ...

    def bulk_load(self, batches: Iterable[list[IndexedEntry]]) -> int:
        """Fill an empty index (rebuild); backends may drop and rebuild their indexes around it."""
        count = 0
        for batch in batches:
            self.insert(batch)
            count += len(batch)
        return count
