"""Published records as the search service sees them (the provider named in SEARCH_PROVIDERS).

Every record type gets the common part here: titles and texts from its multilingual fields,
and facets from its owner (Party, region, country groups) and languages. A record type adds
its own facets (targets, subjects, support types, status) with a ``search_facets()`` method.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db import models
from django.urls import reverse

from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.search.documents import SearchDocument


def _country(record: Record) -> Country | None:
    owner = record.owner
    if isinstance(owner, Organisation):
        return owner.country
    return owner


def owner_facets(record: Record) -> dict[str, list[str]]:
    country = _country(record)
    if country is None:
        return {}
    regions = [
        region.code for region in (country.region, country.subregion, country.intermediate_region) if region
    ]
    return {"party": [country.code], "region": regions, "group": country.groups}


def _multilingual(record: Record) -> dict[str, dict[str, str]]:
    fields = {}
    for name in record.CONTENT_FIELDS:
        if isinstance(record._meta.get_field(name), models.JSONField):
            value = getattr(record, name)
            if isinstance(value, dict):
                fields[name] = {str(code): str(text) for code, text in value.items() if text}
    return fields


def document(record: Record) -> SearchDocument:
    fields = _multilingual(record)
    titles = fields.pop("title", {})
    texts: dict[str, list[str]] = {}
    for value in fields.values():
        for code, text in value.items():
            texts.setdefault(code, []).append(text)
    facets: dict[str, Any] = {"language": sorted(set(titles) | set(texts))} | owner_facets(record)
    extra = getattr(record, "search_facets", None)
    if extra is not None:
        facets |= extra()
    return SearchDocument(
        key=record.identifier,
        record_type=str(record._meta.model_name),
        language=record.original_language,
        titles=titles,
        texts={code: "\n".join(parts) for code, parts in texts.items()},
        facets=facets,
        published_at=record.last_published_at or record.updated_at,
        url=reverse("resolve", args=[record.identifier]),
        first_published_at=record.first_published_at,
    )


def provide(keys: Collection[str] | None = None) -> Iterable[SearchDocument]:
    """Documents for the live records among ``keys`` (all live records when None)."""
    for model in registry.record_types():
        records = model._default_manager.filter(live=True).select_related(
            "owner_country__region",
            "owner_country__subregion",
            "owner_country__intermediate_region",
            "owner_organisation__country",
        )
        if keys is not None:
            records = records.filter(identifier__in=list(keys))
        for record in records.iterator(chunk_size=500):
            yield document(record)
