"""What the public outputs built from the registration alone (the default feed, JSON-LD, the
sitemap and OAI-PMH) say of a record: its title and summary in every language it has, its terms,
its country and its owner, never a confidential field the record does not disclose.

A batch is read with ``rows(record_type)``: the owner and its country joined, the terms of the
type's search facets prefetched, so that describing many records costs a fixed number of queries.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.html import strip_tags

from clearinghouse.publishing import access, registry
from clearinghouse.publishing.models import Record


def term_fields(record_type: registry.RecordType) -> tuple[str, ...]:
    """The type's many-to-many fields to vocabulary terms, as its search facets name them."""
    if record_type.search is None:
        return ()
    fields = [name for names in record_type.search.terms.values() for name in names]
    return tuple(dict.fromkeys(fields))


def rows(record_type: registry.RecordType, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The type's records (public ones unless ``queryset`` says otherwise) with what a
    description reads."""
    found = record_type.live() if queryset is None else queryset
    return found.select_related(
        "owner_country", "owner_organisation", "owner_organisation__country"
    ).prefetch_related(*(f"{name}__vocabulary" for name in term_fields(record_type)))


def plain_text(rich: str) -> str:
    """Rich text (sanitised HTML) as plain text, paragraphs kept apart."""
    spaced = rich.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    return html.unescape(strip_tags(spaced)).strip()


def _texts(record: Record, name: str) -> dict[str, str]:
    """A field's texts by language, as plain text: a rich field (``RICH_FIELDS``: sanitised
    HTML) loses its markup, which each output writes its own way."""
    value = getattr(record, name, None)
    if isinstance(value, str):
        value = {record.original_language: value}
    if not isinstance(value, Mapping):
        return {}
    rich = name in getattr(record, "RICH_FIELDS", ())
    found = {
        str(code): plain_text(text) if rich else text.strip()
        for code, text in value.items()
        if isinstance(text, str)
    }
    return {code: text for code, text in found.items() if text}


def titles(record: Record) -> dict[str, str]:
    """The record's title in each language it has; none when the title is confidential (an
    expert's name without consent)."""
    record_type = registry.of(record)
    name = record_type.search.title if record_type.search else "title"
    if name in access.hidden_fields(None, record):
        return {}
    return _texts(record, name)


def summaries(record: Record) -> dict[str, str]:
    """The record's first descriptive text the public may read, in each language it has."""
    record_type = registry.of(record)
    hidden = access.hidden_fields(None, record)
    for name in record_type.search.texts if record_type.search else ():
        if name in hidden:
            continue
        texts = _texts(record, name)
        if texts:
            return texts
    return {}


def terms(record: Record) -> list[Any]:
    """The record's vocabulary terms (subjects, targets...), from the prefetched rows."""
    found: dict[int, Any] = {}
    for name in term_fields(registry.of(record)):
        for term in getattr(record, name).all():
            found.setdefault(term.pk, term)
    return list(found.values())


def country(record: Record) -> Any:
    """The record's Party: the owner country, or the owning organisation's country; None for an
    international organisation."""
    if record.owner_country is not None:
        return record.owner_country
    organisation = record.owner_organisation
    return organisation.country if organisation is not None else None


def owner_name(record: Record, language: str | None = None) -> str:
    """Who publishes the record: the organisation, or the Party, in the reader's language."""
    if record.owner_organisation is not None:
        return str(record.owner_organisation.display_name(language))
    if record.owner_country is not None:
        return str(record.owner_country.name(language))
    return ""


def last_change(record_type: registry.RecordType) -> datetime | None:
    """When the type's public records last changed: the latest publication or archiving (a
    list's Last-Modified: an archived record leaves it, though no date in it is newer)."""
    found = record_type.model._default_manager.aggregate(
        published=Max("last_published_at"), archived=Max("archived_at")
    )
    moments = [moment for moment in found.values() if moment is not None]
    return max(moments) if moments else None
