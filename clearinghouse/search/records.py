"""Published records as the search service sees them: the provider of every registered record
type (named in SEARCH_PROVIDERS).

A type's registration (``publishing.registry.Searched``) says which multilingual fields are its
title and texts, which vocabulary fields make its term facets, and gives its other facets; every
type gets its owner's facets (Party, region, country groups) and its languages here. Records are
read in chunks; their terms are read as codes (one query per vocabulary field and chunk, against
one in-memory table of every term), so building the documents of N records costs a number of
queries that grows with the chunks, never with N, and no term object is built. Apps above the
record types add facets of their own (quality's participants' rating) through
``registry.register_facets``: each contributor is asked once per chunk. The records are
streamed, never held all at once: a rebuild's memory does not grow with the number of records.

A full rebuild reads every type newest-last, merged into one stream in order of publication:
the index gives a record the id its publication asks for, or the next free one, and in that
order the service only has to remember the ids of the latest second (``service.rebuild``).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import access, registry
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import RecordType
from clearinghouse.search.documents import SearchDocument
from clearinghouse.vocabularies.models import Term

CHUNK = 500


def country_facets(country: Country) -> dict[str, list[str]]:
    regions = [
        region.code for region in (country.region, country.subregion, country.intermediate_region) if region
    ]
    return {"party": [country.code], "region": regions, "group": country.groups}


def owner_facets(record: Record) -> dict[str, list[str]]:
    """The owner's Party, its regions and country groups (for an organisation, its country's)."""
    country = record.owner_country
    if country is None and record.owner_organisation is not None:
        country = record.owner_organisation.country
    return country_facets(country) if country is not None else {}


class Owners:
    """Owner facets for many records: every country's, read once (a few hundred rows), instead of
    joining countries and regions to every record."""

    def __init__(self) -> None:
        countries = Country.objects.select_related("region", "subregion", "intermediate_region")
        self.countries = {country.pk: country_facets(country) for country in countries}
        self.organisations: dict[int, int | None] = dict(Organisation.objects.values_list("pk", "country_id"))

    def facets(self, record: Record) -> dict[str, list[str]]:
        country_id = record.owner_country_id or self.organisations.get(record.owner_organisation_id or 0)
        return self.countries.get(country_id, {}) if country_id else {}


def _languages(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(code): str(text) for code, text in value.items() if text}


class Terms:
    """Term codes of many records: every term's code and place, read once (vocabularies are
    small), and the links of a chunk of records to them, read as ids (one query per field)."""

    def __init__(self) -> None:
        self.codes: dict[int, tuple[int, str]] = {}
        self._read()

    def _read(self) -> None:
        # In the terms' own order (vocabulary, position, code), as their pages and prefetches list them.
        rows = Term.objects.values_list("pk", "code")
        self.codes = {pk: (place, code) for place, (pk, code) in enumerate(rows)}

    def _code(self, pk: int) -> tuple[int, str]:
        if pk not in self.codes:
            self._read()  # a term added since
        return self.codes[pk]

    def of(self, record_type: RecordType, records: Sequence[Record]) -> dict[int, dict[str, list[str]]]:
        """Record pk -> term facet -> codes, for the type's ``Searched.terms``."""
        searched = record_type.search
        facets = searched.terms if searched is not None else {}
        names = list(dict.fromkeys(name for fields in facets.values() for name in fields))
        pks = [record.pk for record in records]
        if not pks:
            return {}
        linked: dict[str, dict[int, list[tuple[int, str]]]] = {}
        # One parameter on PostgreSQL (psycopg rewrites each placeholder of every query).
        condition, parameters = (
            ("= ANY(%s)", [pks])
            if connection.vendor == "postgresql"
            else (f"IN ({', '.join(['%s'] * len(pks))})", pks)
        )
        for name in names:
            field = record_type.model._meta.get_field(name)
            table = connection.ops.quote_name(field.m2m_db_table())  # type: ignore[union-attr]
            source = connection.ops.quote_name(field.m2m_column_name())  # type: ignore[union-attr]
            target = connection.ops.quote_name(field.m2m_reverse_name())  # type: ignore[union-attr]
            by_record: dict[int, list[tuple[int, str]]] = {}
            # SQL rather than the ORM: building the query's 500 parameters through the ORM
            # costs more than running it.
            with connection.cursor() as cursor:
                query = f"SELECT {source}, {target} FROM {table} WHERE {source} {condition}"  # noqa: S608  # nosec B608  # names quoted by the backend
                cursor.execute(query, parameters)
                for record_pk, term_pk in cursor.fetchall():
                    by_record.setdefault(record_pk, []).append(self._code(term_pk))
            linked[name] = by_record
        return {
            pk: {
                facet: [code for name in fields for _place, code in sorted(linked[name].get(pk, ()))]
                for facet, fields in facets.items()
            }
            for pk in pks
        }


def document(
    record: Record,
    record_type: RecordType | None = None,
    owners: Owners | None = None,
    link: str | None = None,
    terms: Mapping[str, list[str]] | None = None,
    contributed: Mapping[str, list[str]] | None = None,
) -> SearchDocument:
    """The record's search document. Confidential fields stay out unless the owner disclosed
    them: the index and its snippets are public. ``owners``, ``link`` (the /r/ prefix),
    ``terms`` (its term facets, see ``Terms``) and ``contributed`` (the facets apps above add,
    ``registry.contributed_facets``) save reading them again for each of many records."""
    record_type = record_type or registry.of(record)
    searched = record_type.search
    if searched is None:
        raise ValueError(f"{record_type.name} records are not searched")
    if terms is None:
        terms = Terms().of(record_type, [record])[record.pk]
    if contributed is None:
        contributed = registry.contributed_facets([record.identifier]).get(record.identifier, {})
    withheld = access.hidden_fields(None, record)
    titles = _languages(getattr(record, searched.title))
    texts: dict[str, list[str]] = {}
    for name in searched.texts:
        if name in withheld:
            continue
        for code, text in _languages(getattr(record, name)).items():
            texts.setdefault(code, []).append(text)
    if searched.more_texts is not None:
        for code, parts in searched.more_texts(record).items():
            texts.setdefault(code, []).extend(part for part in parts if part)
    owner = owners.facets(record) if owners is not None else owner_facets(record)
    facets: dict[str, Any] = {"language": sorted(set(titles) | set(texts))} | owner | dict(terms)
    if searched.facets is not None:
        facets |= searched.facets(record)
    facets |= contributed
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
    """The type's public records with what their ``facets`` read, in order of publication."""
    searched = record_type.search
    if searched is None:
        raise ValueError(f"{record_type.name} records are not searched")
    return (
        record_type.live()
        .select_related(*searched.select_related)
        .prefetch_related(*searched.prefetch_related)
        .order_by("last_published_at", "pk")
    )


def _resolve_prefix() -> str:
    """/r/ as ``reverse()`` gives it, once: identifiers (letters, digits, hyphens) need no quoting."""
    placeholder = "CB-X-X-0"
    return reverse("resolve", args=[placeholder]).removesuffix(placeholder)


class _Reader:
    """What the documents of many records share: owners, terms and the link prefix; per chunk of
    records, their terms and the facets apps above contribute (one query per contributor)."""

    def __init__(self) -> None:
        self.owners, self.terms, self.link = Owners(), Terms(), _resolve_prefix()

    def documents(self, record_type: RecordType, records: QuerySet[Any]) -> Iterator[SearchDocument]:
        iterator = records.iterator(chunk_size=CHUNK)
        while chunk := list(islice(iterator, CHUNK)):
            terms = self.terms.of(record_type, chunk)
            contributed = registry.contributed_facets([record.identifier for record in chunk])
            for record in chunk:
                yield document(
                    record,
                    record_type,
                    self.owners,
                    self.link,
                    terms[record.pk],
                    contributed.get(record.identifier, {}),
                )


def _published(document: SearchDocument) -> Any:
    return document.published_at


def provide(keys: Collection[str] | None = None) -> Iterable[SearchDocument]:
    """Documents for the public records among ``keys``; every public record when None, in order
    of publication."""
    types = [record_type for record_type in registry.record_types() if record_type.search is not None]
    reader = _Reader()
    if keys is None:
        streams = [reader.documents(record_type, searchable(record_type)) for record_type in types]
        yield from heapq.merge(*streams, key=_published)
        return
    for record_type, identifiers in registry.by_type(keys).items():
        if record_type.search is None:
            continue
        for start in range(0, len(identifiers), CHUNK):
            chunk = identifiers[start : start + CHUNK]
            yield from reader.documents(record_type, searchable(record_type).filter(identifier__in=chunk))
