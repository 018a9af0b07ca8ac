"""Documents for the search tests, built as a registry would give them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from clearinghouse.search.documents import SearchDocument


def document(
    key: str,
    title: str = "",
    text: str = "",
    language: str = "en",
    record_type: str = "need",
    published: str = "2026-01-15",
    titles: Mapping[str, str] | None = None,
    texts: Mapping[str, str] | None = None,
    facet_language: Sequence[str] | None = None,
    first_published: str | None = None,
    url_path: str | None = None,
    **facets: Sequence[str],
) -> SearchDocument:
    """A document; ``facet_language`` fills the "language" facet (``language`` is the original's);
    ``first_published`` is the first publication of a record published again on ``published``."""
    if facet_language is not None:
        facets["language"] = facet_language
    return SearchDocument(
        key=key,
        record_type=record_type,
        language=language,
        titles=dict(titles) if titles is not None else {language: title or key},
        texts=dict(texts) if texts is not None else ({language: text} if text else {}),
        facets={name: list(values) for name, values in facets.items()},
        published_at=_moment(published),
        url=url_path if url_path is not None else f"/records/{key}/",
        first_published_at=_moment(first_published) if first_published else None,
    )


def _moment(value: str) -> datetime:
    """An ISO date or date and time, in UTC."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def entry_key(entry: int) -> str:
    """The record key of an index entry, by its id (what the engines answer with)."""
    from clearinghouse.search.models import SearchEntry

    return str(SearchEntry.objects.get(id=entry).key)
