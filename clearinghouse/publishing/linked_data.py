"""schema.org descriptions of records as JSON-LD, for every record type from its registration:
embedded in each record's page (a data block: browsers never run it) and served as
``application/ld+json`` at ``/r/<identifier>.jsonld``.

Every type gets ``name``, ``description``, ``inLanguage``, ``url``, ``identifier``, the dates,
``about`` (its terms), ``spatialCoverage`` (its Party) and its publisher, as the schema.org type
it registers (``RecordType.schema_type``); ``RecordType.linked_data`` adds or replaces properties
(an event's dates and place). Confidential fields never enter it (``publishing.public``).
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from clearinghouse.core.languages import content_language
from clearinghouse.core.mail import site_url
from clearinghouse.core.multilingual import show
from clearinghouse.publishing import public, registry
from clearinghouse.publishing.models import Record

MEDIA_TYPE = "application/ld+json"
# Characters that could close the script element or start markup, written as JSON escapes.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _publisher(record: Record, language: str) -> dict[str, Any] | None:
    if record.owner_organisation is not None:
        return {"@type": "Organization", "name": public.owner_name(record, language)}
    if record.owner_country is not None:
        return {"@type": "GovernmentOrganization", "name": public.owner_name(record, language)}
    return None


def describe(record: Record, language: str | None = None) -> dict[str, Any]:
    """The record as schema.org sees it, its texts in the reader's language."""
    language = content_language(language or get_language())
    record_type = registry.of(record)
    url = site_url(record_type.url(record))
    found: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": record_type.schema_type,
        "@id": url,
        "url": url,
        "identifier": record.identifier,
        "name": show(public.titles(record), record.original_language, language).text or record.identifier,
        "inLanguage": record.original_language,
    }
    description = show(public.summaries(record), record.original_language, language).text
    if description:
        found["description"] = description
    if record.first_published_at:
        found["datePublished"] = record.first_published_at.isoformat()
    if record.last_published_at:
        found["dateModified"] = record.last_published_at.isoformat()
    about = [
        {
            "@type": "DefinedTerm",
            "termCode": term.code,
            "name": term.label(language),
            "inDefinedTermSet": term.vocabulary.name,
        }
        for term in public.terms(record)
    ]
    if about:
        found["about"] = about
    country = public.country(record)
    if country is not None:
        found["spatialCoverage"] = {
            "@type": "Country",
            "name": country.name(language),
            "identifier": country.code,
        }
    publisher = _publisher(record, language)
    if publisher is not None:
        found["publisher"] = publisher
    if record_type.linked_data is not None:
        found.update(record_type.linked_data(record, language))
    return found


def as_json(data: dict[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element: every <, > and & written as an escape."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES)


def script_body(record: Record, language: str | None = None) -> SafeString:
    """The JSON text to put inside ``<script type="application/ld+json">``."""
    return mark_safe(as_json(describe(record, language)))  # noqa: S308  # nosec B308 B703  # <, >, & escaped


def page_panel(request: Any, record: Any) -> dict[str, Any] | None:
    """The record page's JSON-LD (``core.navigation`` panel): for public records only."""
    if not isinstance(record, Record) or not record.live:
        return None
    try:
        registry.of(record)
    except LookupError:
        return None
    return {"linked_data": script_body(record)}
