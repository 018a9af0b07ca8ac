"""The shapes a CHM-like source answers in, read into one list of documents:

- a list of documents (``[{"header": {...}, ...}]``), or ``{"Items": [...]}`` as the documents
  API pages them, each item a document or a document's information (``{"identifier",
  "revision", "updatedOn", "deletedOn", "body": {...}}``);
- a search index answer (``{"response": {"docs": [...]}}``), each flat index document
  (``identifier_s``, ``schema_s``, ``title_EN_s``, ``countryRegions_ss``, ``all_terms_ss``,
  ``updatedDate_dt``, ``url_ss``...) turned into the record's own shape.

A listing may come in pages: an index answer whose ``numFound`` is more than ``start`` plus its
documents continues at the same address with ``start`` moved on (as Solr pages); an Atom feed
continues at its ``<link rel="next">`` (RFC 5005).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from clearinghouse.harvest.fetching import HarvestError

IDENTIFIER = re.compile(r"^[A-Za-z0-9\-_]{11,128}$")
# The CHM's default language first: an index answer does not say which language was the original.
_LOCALES = ("en", "fr", "es", "ar", "ru", "zh")
_INDEX_TEXT = re.compile(r"^(?P<field>[A-Za-z]+)_(?P<locale>AR|EN|ES|FR|RU|ZH)_(?:s|t|txt)$")
_INDEX_DATES = {"startDate_dt": "startDate", "endDate_dt": "endDate", "publicationDate_dt": "publicationDate"}
# Index terms go back to the record's fields by the prefix of their identifiers.
_INDEX_TERMS = (
    ("GBF-TARGET", "gbfTargets"),
    ("AICHI-TARGET", "aichiTargets"),
    ("CBD-SUBJECT", "cbdSubjects"),
)


@dataclass(frozen=True)
class Document:
    identifier: str  # the source's identifier ("" when the entry had none)
    schema: str
    body: dict[str, Any]  # the record in the CHM's shape: header, lstrings, terms, links
    version: str  # the revision or update date; a digest of the body when there is neither
    deleted: bool
    url: str  # the original's address when the answer gives it


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _from_record(item: dict[str, Any]) -> Document:
    given = item.get("body")
    body: dict[str, Any] = given if isinstance(given, dict) else item
    given_header = body.get("header")
    header: dict[str, Any] = given_header if isinstance(given_header, dict) else {}
    identifier = str(header.get("identifier") or item.get("identifier") or "")
    schema = str(header.get("schema") or item.get("type") or "")
    marker = "|".join(str(item[key]) for key in ("revision", "updatedOn") if item.get(key) not in (None, ""))
    return Document(
        identifier=identifier,
        schema=schema,
        body=body,
        version=marker[:100] or _digest(body),
        deleted=bool(item.get("deletedOn") or item.get("deleted")),
        url="",
    )


def _from_index(doc: dict[str, Any]) -> Document:
    body: dict[str, Any] = {}
    for key, value in doc.items():
        text = _INDEX_TEXT.match(key)
        if text and isinstance(value, str):
            body.setdefault(text["field"], {})[text["locale"].lower()] = value
    for key, name in _INDEX_DATES.items():
        if isinstance(doc.get(key), str):
            body[name] = doc[key][:10]
    countries = doc.get("countryRegions_ss")
    if isinstance(countries, list):
        body["countryRegions"] = [{"identifier": str(code)} for code in countries]
    terms = doc.get("all_terms_ss")
    if isinstance(terms, list):
        for prefix, name in _INDEX_TERMS:
            picked = [{"identifier": str(term)} for term in terms if str(term).upper().startswith(prefix)]
            if picked:
                body[name] = picked
    identifier = str(doc.get("identifier_s") or "")
    schema = str(doc.get("schema_s") or "")
    languages = [code for code in _LOCALES if code in body.get("title", {})]
    body["header"] = {"identifier": identifier, "schema": schema, "languages": languages}
    urls = doc.get("url_ss")
    url = str(urls[0]) if isinstance(urls, list) and urls else ""
    updated = str(doc.get("updatedDate_dt") or "")
    return Document(
        identifier=identifier,
        schema=schema,
        body=body,
        version=updated[:100] or _digest(body),
        deleted=False,
        url=url if url.startswith(("http://", "https://")) else "",
    )


def documents(payload: Any) -> list[Document | None]:
    """The answer's documents, in order; None for an entry that is no document at all."""
    if isinstance(payload, dict) and isinstance(payload.get("response"), dict):
        docs = payload["response"].get("docs")
        if not isinstance(docs, list):
            raise HarvestError("not_a_listing")
        return [_from_index(doc) if isinstance(doc, dict) else None for doc in docs]
    if isinstance(payload, dict):
        payload = payload.get("Items", payload.get("documents"))
    if not isinstance(payload, list):
        raise HarvestError("not_a_listing")
    return [_from_record(item) if isinstance(item, dict) else None for item in payload]


def _index_next(payload: Any, url: str) -> str | None:
    """The address of the index answer's next page, if the answer says there is more."""
    if not isinstance(payload, dict) or not isinstance(payload.get("response"), dict):
        return None
    answer = payload["response"]
    found, start, docs = answer.get("numFound"), answer.get("start", 0), answer.get("docs")
    if not isinstance(found, int) or not isinstance(start, int) or not isinstance(docs, list) or not docs:
        return None
    following = start + len(docs)
    if following >= found:
        return None
    parts = urlsplit(url)
    query = [
        (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "start"
    ]
    return urlunsplit(parts._replace(query=urlencode([*query, ("start", str(following))])))


def json_page(payload: Any, url: str) -> tuple[list[Document | None], str | None]:
    """One answer's documents and the address of the listing's next page (None: the last)."""
    return documents(payload), _index_next(payload, url)


ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _atom_text(entry: Element, name: str) -> str:
    found = entry.find(ATOM + name)
    return "".join(found.itertext()).strip() if found is not None else ""


def _from_atom(entry: Element, schema: str, feed_language: str) -> Document:
    """An Atom entry of another node's feed: its id (any URI) gives a stable identifier, its
    title and summary (or content) the record's texts in the entry's language."""
    atom_id = _atom_text(entry, "id")
    identifier = f"atom-{hashlib.sha256(atom_id.encode()).hexdigest()[:40]}" if atom_id else ""
    language = (entry.get(XML_LANG) or feed_language or "en").split("-")[0].lower()
    body: dict[str, Any] = {
        "header": {"identifier": identifier, "schema": schema, "languages": [language]},
        "title": {language: _atom_text(entry, "title")},
        "description": {language: _atom_text(entry, "summary") or _atom_text(entry, "content")},
    }
    link = next(
        (
            str(found.get("href") or "")
            for found in entry.findall(ATOM + "link")
            if found.get("rel", "alternate") == "alternate"
        ),
        "",
    )
    updated = _atom_text(entry, "updated")
    return Document(
        identifier=identifier,
        schema=schema,
        body=body,
        version=updated[:100] or _digest(body),
        deleted=False,
        url=link if link.startswith(("http://", "https://")) else "",
    )


def atom_page(body: bytes, schema: str, url: str) -> tuple[list[Document | None], str | None]:
    """The entries of an Atom feed, read with defusedxml (no entities, no external references),
    as documents of the source mapping's schema (a feed does not name one), and the address of
    the feed's next page (None: the last)."""
    try:
        feed = fromstring(body)
    except DefusedXmlException:
        raise HarvestError("unsafe_xml") from None
    except ParseError as error:
        line, column = getattr(error, "position", (1, 0))
        raise HarvestError("malformed_xml", {"line": line, "column": column + 1}) from None
    if feed.tag != ATOM + "feed":
        raise HarvestError("not_a_listing")
    language = feed.get(XML_LANG) or ""
    following = next(
        (str(link.get("href") or "") for link in feed.findall(ATOM + "link") if link.get("rel") == "next"),
        "",
    )
    entries: list[Document | None] = [
        _from_atom(entry, schema, language) for entry in feed.findall(ATOM + "entry")
    ]
    return entries, urljoin(url, following) if following else None
