"""Queries that are public identifiers: CB-NEED-KE-000123, ORG-IFDD, PLAN-46, in any case.

An identifier in the index leads straight to its record (the page redirects, the API puts it
first). Every key's first parts are in the index too (``text.identifier_tokens``), so a query of
them (CB-NEED-KE: Kenya's needs) finds the records whose identifiers start so, like words. An
identifier of a known kind that no record has, nor starts with, gets a notice.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from clearinghouse.search import service
from clearinghouse.search.backends.base import Match
from clearinghouse.search.documents import SearchQuery, SearchResult
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.text import IDENTIFIER, identifier_token


def candidate(text: str) -> str | None:
    """The identifier a query is, upper-cased, or None when it is not one."""
    stripped = text.strip()
    return stripped.upper() if IDENTIFIER.fullmatch(stripped) else None


def indexed(text: str) -> SearchEntry | None:
    """The indexed record whose identifier the query is."""
    identifier = candidate(text)
    if identifier is None:
        return None
    return SearchEntry.objects.filter(key=identifier).first()


def _starts_a_key(prefix: str) -> bool:
    backend = service.get_backend()
    with backend.session():
        return bool(backend.rows(Match(clauses=(((identifier_token(prefix),),),)), limit=1))


def unknown_notice(text: str) -> str | None:
    """A notice when the query is an identifier of a kind the index holds (its first part starts
    keys) that no record has or starts with; None otherwise (words such as "COVID-19" too)."""
    identifier = candidate(text)
    if identifier is None or _starts_a_key(identifier):
        return None
    if not _starts_a_key(identifier.split("-", 1)[0]):
        return None
    return _(
        "No record has the identifier %(identifier)s; records that hold its words are shown instead."
    ) % {"identifier": identifier}


def with_identified_first(query: SearchQuery, result: SearchResult) -> SearchResult:
    """The result with the record the query identifies as the first hit of the first page, and
    the notice of an unknown identifier."""
    entry = indexed(query.text)
    if entry is None:
        notice = unknown_notice(query.text)
        return replace(result, notice=result.notice or notice) if notice else result
    if result.page != 1:
        return result
    others = [hit for hit in result.hits if hit.key != entry.key]
    first = next((hit for hit in result.hits if hit.key == entry.key), None)
    if first is None and not (query.filters or query.published_from or query.published_to):
        # Ranked beyond the first page by words: the identifier still comes first.
        first = service.hit(entry.key, query.language)
    if first is None:
        return result
    return replace(result, hits=[first, *others][: result.page_size])
