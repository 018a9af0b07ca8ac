"""Where documents come from: the callables named in the SEARCH_PROVIDERS setting.

A provider is ``provide(keys: Collection[str] | None) -> Iterable[SearchDocument]``: the
published records among ``keys`` (all of them for None). A key no provider returns is not
published (any more).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator

from django.conf import settings
from django.utils.module_loading import import_string

from clearinghouse.search.documents import SearchDocument

Provider = Callable[[Collection[str] | None], Iterable[SearchDocument]]


def providers() -> list[Provider]:
    return [import_string(path) for path in getattr(settings, "SEARCH_PROVIDERS", [])]


def documents(keys: Collection[str] | None = None) -> Iterator[SearchDocument]:
    """Every provider's documents for ``keys`` (None: all)."""
    for provide in providers():
        yield from provide(keys)
