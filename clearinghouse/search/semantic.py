"""Retrieval by meaning: the interface the search service asks for the records nearest a query.

Search sits below the registries and matching, so it never imports the model that embeds text.
A higher app implements ``Retriever`` over the embeddings it already stores (one per record
version) and the ``SEARCH_SEMANTIC_RETRIEVER`` setting names a factory for it (a dotted path to
a callable taking no arguments). Unset, search is lexical only. A retriever that also
implements ``FeedbackRetriever.around`` answers the feedback step (docs/search.md); one that
does not is asked only ``nearest``. One that implements ``PreparedRetriever.prepare`` reads the
database first and is then asked to compute in a thread of its own, while the words are searched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SemanticHit:
    key: str  # the record's public identifier, as in ``SearchDocument.key``
    score: float  # similarity to the query: higher is nearer; comparable within one answer only


@runtime_checkable
class Retriever(Protocol):
    def nearest(self, text: str, language: str, limit: int) -> Sequence[SemanticHit]:
        """At most ``limit`` records nearest in meaning to ``text``, nearest first. ``language``
        is the reader's language: a hint only, the query may be written in another."""
        ...


@runtime_checkable
class FeedbackRetriever(Retriever, Protocol):
    """A retriever that can also start from records: what pseudo-relevance feedback asks."""

    def around(
        self, keys: Sequence[str], limit: int, text: str = "", language: str = ""
    ) -> Sequence[SemanticHit]:
        """At most ``limit`` records nearest in meaning to the records ``keys`` name, taken
        together (with the query ``text`` when given), nearest first."""
        ...


@dataclass(frozen=True)
class Prepared:
    """A search by meaning whose database reads are done. ``run`` computes the hits; when
    ``threaded``, it reads nothing from the database and may run in another thread (Django's
    connections belong to the thread that opened them)."""

    run: Callable[[], Sequence[SemanticHit]]
    threaded: bool


@runtime_checkable
class PreparedRetriever(Retriever, Protocol):
    """A retriever whose ``nearest`` can be split in two: the reads, then the computation."""

    def prepare(self, text: str, language: str, limit: int) -> Prepared:
        """What ``nearest(text, language, limit)`` answers, as a ``Prepared`` to run."""
        ...


@cache
def get_retriever() -> Retriever | None:
    path = getattr(settings, "SEARCH_SEMANTIC_RETRIEVER", None)
    return import_string(path)() if path else None
