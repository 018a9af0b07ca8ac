"""Measuring search against relevance judgements: records, queries and judgements in JSON Lines.

    {"kind":"record","id":"R1","type":"need","language":"es","title":"...","description":"..."}
    {"kind":"query","id":"Q1","language":"ar","text":"..."}
    {"kind":"judgment","query":"Q1","record":"R1","relevance":2}

Relevance 2: what the query asks for; 1: related; pairs not listed are not relevant. Record types
are published as the platform's own: need → Need, offer → Offer, resource → Resource,
initiative → Initiative, and event → Opportunity (a place on a workshop, a webinar or a course
is something one applies to before a date, which is what an opportunity is; an initiative is a
programme or project that runs for years).

The records are published through the workflow as people publish them (a draft, submitted, then
published by the platform), so the search index and the stored embeddings are made by the same
jobs as on the site; each query is then run through ``service.search`` as the search page runs
it (first page, no filters, the query's language as the reader's). The metrics are matching's
(``evaluation``): recall@10, MRR (first record judged 2) and nDCG@10, averaged over queries.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from clearinghouse.geo.models import Country
from clearinghouse.matching.dataset import DatasetError, dataset_lines, json_objects
from clearinghouse.matching.evaluation import Scores, recall_at, score
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.support import services as support_services
from clearinghouse.support.models import Initiative, Offer, Opportunity, Resource, SupportRecord
from clearinghouse.vocabularies.models import Term

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
TYPES = ("need", "offer", "resource", "event", "initiative")
CUTOFF = 10


class SearchDatasetError(DatasetError):
    """The dataset cannot be used as it is; the message names the file and line."""


@dataclass(frozen=True)
class DatasetRecord:
    id: str
    type: str
    language: str
    title: str
    description: str


@dataclass(frozen=True)
class DatasetQuery:
    id: str
    language: str
    text: str


@dataclass
class SearchDataset:
    records: list[DatasetRecord] = field(default_factory=list)
    queries: list[DatasetQuery] = field(default_factory=list)
    # judgements[query id][record id] = 1 or 2
    judgements: dict[str, dict[str, int]] = field(default_factory=dict)


def _text(where: str, data: Mapping[str, Any], key: str, *, empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise SearchDatasetError(f"{where}: '{key}' must be a string")
    if not empty and not value.strip():
        raise SearchDatasetError(f"{where}: '{key}' must not be empty")
    return value


def _choice(where: str, data: Mapping[str, Any], key: str, choices: Sequence[str]) -> str:
    value = _text(where, data, key)
    if value not in choices:
        raise SearchDatasetError(f"{where}: unknown {key} {value!r} (expected one of {', '.join(choices)})")
    return value


def parse_search_dataset(lines: Iterable[str], name: str = "<dataset>") -> SearchDataset:
    """Parse and check dataset lines (blank lines are skipped); the first problem stops it."""
    dataset = SearchDataset()
    seen: dict[str, str] = {}
    judgements: list[tuple[str, Mapping[str, Any]]] = []
    for where, data in json_objects(lines, name, SearchDatasetError):
        kind = data.get("kind")
        if kind in {"record", "query"}:
            identifier = _text(where, data, "id")
            if identifier in seen:
                raise SearchDatasetError(f"{where}: id {identifier!r} is already used ({seen[identifier]})")
            seen[identifier] = where
            language = _choice(where, data, "language", LANGUAGES)
            if kind == "record":
                title = _text(where, data, "title")
                dataset.records.append(
                    DatasetRecord(
                        identifier,
                        _choice(where, data, "type", TYPES),
                        language,
                        title,
                        _text(where, data, "description", empty=True),
                    )
                )
            else:
                dataset.queries.append(DatasetQuery(identifier, language, _text(where, data, "text")))
        elif kind == "judgment":
            judgements.append((where, data))
        else:
            raise SearchDatasetError(f"{where}: unknown kind {kind!r} (expected record, query or judgment)")
    records = {record.id for record in dataset.records}
    queries = {query.id for query in dataset.queries}
    for where, line in judgements:
        query, record = _text(where, line, "query"), _text(where, line, "record")
        relevance = line.get("relevance")
        if query not in queries:
            raise SearchDatasetError(f"{where}: unknown query {query!r}")
        if record not in records:
            raise SearchDatasetError(f"{where}: unknown record {record!r}")
        if relevance not in (0, 1, 2) or isinstance(relevance, bool):
            raise SearchDatasetError(f"{where}: relevance must be 0, 1 or 2, not {relevance!r}")
        judged = dataset.judgements.setdefault(query, {})
        if record in judged:
            raise SearchDatasetError(f"{where}: the pair {query}/{record} is judged twice")
        if relevance:
            judged[record] = relevance
    return dataset


def read_search_dataset(path: Path) -> SearchDataset:
    return parse_search_dataset(dataset_lines(path, SearchDatasetError), name=str(path))


# --- publishing the records ---------------------------------------------------------------------


def _terms(*codes: str) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def _need(record: DatasetRecord, owner: Country) -> Record:
    language = record.language
    values: dict[str, Any] = {
        "original_language": language,
        "format_version": CURRENT_VERSION,
        "title": {language: record.title},
        "description": {language: record.description},
        "priority": "high",
        # Required to submit; facets and confidential fields only, never searched by words.
        "subjects": _terms("SUBJ-KNOWLEDGE"),
        "contact_name": "Evaluation",
        "contact_email": "evaluation@example.org",
        "instruments": _terms("CBD"),
        "capacity_levels": _terms("individual"),
        "support_types": _terms("training"),
        "support_languages": [language],
    }
    need = workflow.create(Need, actor=None, owner=owner, values=values)
    workflow.submit(need, actor=None)
    return workflow.publish(need, actor=None)


_SUPPORT: dict[str, tuple[type[SupportRecord], dict[str, Any]]] = {
    "offer": (Offer, {}),
    "resource": (Resource, {"kind": "guide"}),
    "initiative": (Initiative, {"status": "ongoing"}),
    "event": (Opportunity, {"kind": "training_place"}),
}


def _support(record: DatasetRecord, owner: Country) -> Record:
    model, values = _SUPPORT[record.type]
    cleaned = {"title": record.title, "description": record.description, **values}
    if model is Offer:
        cleaned["support_types"] = _terms("training")
    if model is Opportunity:
        cleaned["deadline"] = timezone.localdate() + timedelta(days=365)
    created = support_services.create(
        model, actor=None, owner=owner, language=record.language, cleaned=cleaned
    )
    support_services.submit(created, actor=None)
    return workflow.publish(created, actor=None)


def publish_records(records: Sequence[DatasetRecord], owner: Country) -> dict[str, str]:
    """Publish the dataset's records for ``owner`` through the workflow; their public identifier
    by dataset id. The index and catalogue jobs run once per record type, at the end."""
    identifiers: dict[str, str] = {}
    with batched_announcements():
        for record in records:
            published = _need(record, owner) if record.type == "need" else _support(record, owner)
            identifiers[record.id] = published.identifier
    return identifiers


# --- ranking and scoring ------------------------------------------------------------------------


def rank_queries(queries: Sequence[DatasetQuery], identifiers: Mapping[str, str]) -> dict[str, list[str]]:
    """Each query's first page through ``service.search`` as the search page asks it, as dataset
    ids (hits that are not dataset records are left out)."""
    dataset_ids = {identifier: record for record, identifier in identifiers.items()}
    rankings: dict[str, list[str]] = {}
    for query in queries:
        result = service.search(SearchQuery(text=query.text, language=query.language))
        rankings[query.id] = [dataset_ids[hit.key] for hit in result.hits if hit.key in dataset_ids]
    return rankings


@dataclass
class SearchReport:
    rankings: dict[str, list[str]]
    overall: Scores
    cross_lingual_recall: float
    cross_lingual_queries: int
    records: int
    seconds: dict[str, float] = field(default_factory=dict)

    def last_line(self) -> str:
        return f"{self.overall.line()} queries={self.overall.needs} records={self.records}"


def cross_lingual_recall(dataset: SearchDataset, rankings: Mapping[str, Sequence[str]]) -> tuple[float, int]:
    """Recall@10 counting only the relevant records written in another language than the query,
    averaged over the queries that have some."""
    languages = {record.id: record.language for record in dataset.records}
    query_languages = {query.id: query.language for query in dataset.queries}
    recalls = []
    for query, ranked in rankings.items():
        judged = {
            record: relevance
            for record, relevance in dataset.judgements.get(query, {}).items()
            if languages[record] != query_languages[query]
        }
        value = recall_at(ranked, judged, CUTOFF)
        if value is not None:
            recalls.append(value)
    return (sum(recalls) / len(recalls) if recalls else 0.0), len(recalls)


def evaluate_search(dataset: SearchDataset, owner: Country) -> SearchReport:
    """Publish the dataset's records in the database in use, run its queries and score them."""
    started = time.perf_counter()
    identifiers = publish_records(dataset.records, owner)
    report = score_queries(dataset, identifiers)
    report.seconds = {"publish": time.perf_counter() - started - report.seconds["search"], **report.seconds}
    return report


def score_queries(dataset: SearchDataset, identifiers: Mapping[str, str]) -> SearchReport:
    """Run the dataset's queries on its published records (``identifiers``) and score them."""
    started = time.perf_counter()
    rankings = rank_queries(dataset.queries, identifiers)
    cross, cross_queries = cross_lingual_recall(dataset, rankings)
    return SearchReport(
        rankings=rankings,
        overall=score(rankings, dataset.judgements),
        cross_lingual_recall=cross,
        cross_lingual_queries=cross_queries,
        records=len(dataset.records),
        seconds={"search": time.perf_counter() - started},
    )
