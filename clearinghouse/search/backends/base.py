"""The interface every search backend offers the service.

A backend only matches ready-made terms and tokens (see ``text`` and ``entries``): it never
analyses text itself, so every backend finds the same records for the same query.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from clearinghouse.search.entries import IndexedEntry, sample_token
from clearinghouse.search.text import Clause

Order = Literal["relevance", "newest", "oldest"]
Conjunction = tuple[tuple[str, ...], ...]
"""Token groups that must all match; one token of a group is enough (AND of ORs)."""


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
