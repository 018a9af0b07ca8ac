"""The organisations of the registry as search documents (a provider named in SEARCH_PROVIDERS).

An organisation is found by its names in every language it has, its acronym, its type and its
country (both named in the six languages), and filtered by its country's Party, regions and
groups. Its key is ``ORG-`` and its code (the code its records' identifiers carry:
CB-OFFER-IFDD-000012 is an offer of ``ORG-IFDD``). The index follows the registry through
``organisations.signals.organisation_changed`` (see ``SearchConfig.ready()``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.utils import translation

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.search.documents import SearchDocument
from clearinghouse.search.links import stored_url
from clearinghouse.search.records import country_facets

RECORD_TYPE = "organisation"
KEY_PREFIX = "ORG-"
# Content languages whose interface code differs (the type's label is translated in the interface's).
_INTERFACE = {"zh": "zh-hans"}


def key(code: str) -> str:
    return KEY_PREFIX + code


def _names(organisation: Organisation) -> dict[str, str]:
    names = {str(code): str(name) for code, name in (organisation.name_translations or {}).items() if name}
    return names | {organisation.name_language: organisation.name}


def _described(organisation: Organisation) -> dict[str, str]:
    """Acronym, type and country in each of the six languages (a Spanish reader finds a Kenyan
    NGO with "gubernamental Kenia"), as one line that reads well as the hit's snippet."""
    texts = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(_INTERFACE.get(language, language)):
            kind = str(OrganisationType(organisation.type).label) if organisation.type else ""
        country = organisation.country.name(language) if organisation.country else ""
        texts[language] = " · ".join(part for part in (organisation.acronym, kind, country) if part)
    return texts


def document(organisation: Organisation) -> SearchDocument:
    names = _names(organisation)
    facets: dict[str, Any] = {"language": sorted(names)}
    if organisation.country is not None:
        facets |= country_facets(organisation.country)
    return SearchDocument(
        key=key(organisation.code),
        record_type=RECORD_TYPE,
        language=organisation.name_language,
        titles=names,
        texts=_described(organisation),
        facets=facets,
        published_at=organisation.updated_at,
        url=stored_url("organisations:detail", organisation.pk),
        first_published_at=organisation.created_at,
    )


def provide(keys: Collection[str] | None = None) -> Iterable[SearchDocument]:
    """Documents of the organisations among ``keys`` (every one for None, oldest change first)."""
    organisations = Organisation.objects.select_related(
        "country__region", "country__subregion", "country__intermediate_region"
    ).order_by("updated_at", "pk")
    if keys is not None:
        codes = [wanted.removeprefix(KEY_PREFIX) for wanted in keys if wanted.startswith(KEY_PREFIX)]
        if not codes:
            return
        organisations = organisations.filter(code__in=codes)
    for organisation in organisations.iterator(chunk_size=500):
        yield document(organisation)
