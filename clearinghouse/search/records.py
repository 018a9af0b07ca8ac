"""Published records as the search service sees them: the provider of every registered record
type (named in SEARCH_PROVIDERS).

A type's registration (``publishing.registry.Searched``) says which multilingual fields are its
title and texts and gives its own facets; every type gets its owner's facets (Party, region,
country groups) and its languages here. Records are read in chunks with what their documents
read joined or prefetched, so building the documents of N records costs a number of queries
that grows with the chunks, never with N; the records are streamed, never held all at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import access, registry
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import RecordType
from clearinghouse.search.documents import SearchDocument

CHUNK = 500


def _country_facets(country: Country) -> dict[str, list[str]]:
    regions = [
        region.code for region in (country.region, country.subregion, country.intermediate_region) if region
    ]
    return {"party": [country.code], "region": regions, "group": country.groups}


def owner_facets(record: Record) -> dict[str, list[str]]:
    """The owner's Party, its regions and country groups (for an organisation, its country's)."""
    country = record.owner_country
    if country is None and record.owner_organisation is not None:
        country = record.owner_organisation.country
    return _country_facets(country) if country is not None else {}


class Owners:
    """Owner facets for many records: every country's, read once (a few hundred rows), instead of
    joining countries and regions to every record."""

    def __init__(self) -> None:
        countries = Country.objects.select_related("region", "subregion", "intermediate_region")
        self.countries = {country.pk: _country_facets(country) for country in countries}
        self.organisations: dict[int, int | None] = dict(Organisation.objects.values_list("pk", "country_id"))

    def facets(self, record: Record) -> dict[str, list[str]]:
        country_id = record.owner_country_id or self.organisations.get(record.owner_organisation_id or 0)
        return self.countries.get(country_id, {}) if country_id else {}


def _languages(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(code): str(text) for code, text in value.items() if text}


def document(
    record: Record,
    record_type: RecordType | None = None,
    owners: Owners | None = None,
    link: str | None = None,
) -> SearchDocument:
    """The record's search document. Confidential fields stay out unless the owner disclosed
    them: the index and its snippets are public. ``owners`` and ``link`` (the /r/ prefix) save
    reading them again for each of many records."""
    record_type = record_type or registry.of(record)
    searched = record_type.search
    if searched is None:
        raise ValueError(f"{record_type.name} records are not searched")
    withheld = access.hidden_fields(None, record)
    titles = _languages(getattr(record, searched.title))
    texts: dict[str, list[str]] = {}
    for name in searched.texts:
        if name in withheld:
            continue
        for code, text in _languages(getattr(record, name)).items():
            texts.setdefault(code, []).append(text)
    owner = owners.facets(record) if owners is not None else owner_facets(record)
    facets: dict[str, Any] = {"language": sorted(set(titles) | set(texts))} | owner
    if searched.facets is not None:
        facets |= searched.facets(record)
    return SearchDocument(
        key=record.identifier,
        record_type=record_type.name,
        language=record.original_language,
        titles=titles,
        texts={code: "\n".join(parts) for code, parts in texts.items()},
        facets=facets,
        published_at=record.last_published_at or record.updated_at,
        url=(link if link is not None else _resolve_prefix()) + record.identifier,
        first_published_at=record.first_published_at,
    )


def searchable(record_type: RecordType) -> QuerySet[Any]:
    """The type's public records with everything their documents read."""
    searched = record_type.search
    if searched is None:
        raise ValueError(f"{record_type.name} records are not searched")
    return (
        record_type.live()
        .select_related(*searched.select_related)
        .prefetch_related(*searched.prefetch_related)
        .order_by("pk")
    )


def _resolve_prefix() -> str:
    """/r/ as ``reverse()`` gives it, once: identifiers (letters, digits, hyphens) need no quoting."""
    placeholder = "CB-X-X-0"
    return reverse("resolve", args=[placeholder]).removesuffix(placeholder)


def _documents(
    record_type: RecordType, records: QuerySet[Any], owners: Owners, link: str
) -> Iterator[SearchDocument]:
    for record in records.iterator(chunk_size=CHUNK):
        yield document(record, record_type, owners, link)


def provide(keys: Collection[str] | None = None) -> Iterable[SearchDocument]:
    """Documents for the public records among ``keys`` (every public record when None)."""
    types = [record_type for record_type in registry.record_types() if record_type.search is not None]
    owners, link = Owners(), _resolve_prefix()
    if keys is None:
        for record_type in types:
            yield from _documents(record_type, searchable(record_type), owners, link)
        return
    for record_type, identifiers in registry.by_type(keys).items():
        if record_type.search is None:
            continue
        for start in range(0, len(identifiers), CHUNK):
            chunk = identifiers[start : start + CHUNK]
            yield from _documents(
                record_type, searchable(record_type).filter(identifier__in=chunk), owners, link
            )
