"""The search development set is well formed and measures what it is meant to measure.

Search is tuned on this file and its targets are asserted on it, so a broken line, a judgment
that names nothing, a query with no right answer or a set that drifts back to one language
would quietly make the figures meaningless.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset.jsonl"
LANGUAGES = {"ar", "en", "es", "fr", "ru", "zh"}
RECORD_TYPES = {"need", "offer", "resource", "event", "initiative"}
# The share of each record type the set is built to, with some slack either side.
TYPE_SHARES = {"need": 0.35, "offer": 0.25, "resource": 0.20, "event": 0.10, "initiative": 0.10}
TYPE_SLACK = 0.05
SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
}
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")


@cache
def lines() -> list[dict[str, Any]]:
    with DEVSET.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [line for line in lines() if line["kind"] == kind]


def records() -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in of_kind("record")}


def queries() -> dict[str, dict[str, Any]]:
    return {query["id"]: query for query in of_kind("query")}


def test_every_line_is_a_json_object_of_a_known_kind() -> None:
    with DEVSET.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = json.loads(raw)
            assert isinstance(line, dict), f"line {number}"
            assert line.get("kind") in {"record", "query", "judgment"}, f"line {number}"


def test_records_come_first_then_queries_then_judgments() -> None:
    order = {"record": 0, "query": 1, "judgment": 2}
    kinds = [order[line["kind"]] for line in lines()]
    assert kinds == sorted(kinds)


def test_records_have_every_field_filled() -> None:
    for record in of_kind("record"):
        assert set(record) == {"kind", "id", "type", "language", "title", "description"}
        assert record["type"] in RECORD_TYPES, record["id"]
        assert record["language"] in LANGUAGES, record["id"]
        assert record["title"].strip(), record["id"]
        assert len(record["description"]) > len(record["title"]), record["id"]


def test_queries_are_short_like_what_people_type() -> None:
    for query in of_kind("query"):
        assert set(query) == {"kind", "id", "language", "text"}
        assert query["language"] in LANGUAGES, query["id"]
        assert 0 < len(query["text"]) <= 60, query["id"]


@pytest.mark.parametrize("kind", ["record", "query"])
def test_ids_are_unique(kind: str) -> None:
    ids = [line["id"] for line in of_kind(kind)]
    assert len(ids) == len(set(ids))


def test_every_judgment_names_a_known_query_and_record_once() -> None:
    known_records, known_queries = records(), queries()
    pairs = Counter((judgment["query"], judgment["record"]) for judgment in of_kind("judgment"))
    for (query, record), times in pairs.items():
        assert query in known_queries, query
        assert record in known_records, record
        assert times == 1, (query, record)


def test_relevance_is_one_or_two() -> None:
    # Unjudged pairs are the irrelevant ones: an explicit 0 would be counted as a relevant record.
    assert {judgment["relevance"] for judgment in of_kind("judgment")} <= {1, 2}


def test_every_query_has_a_record_that_answers_it() -> None:
    answered = {j["query"] for j in of_kind("judgment") if j["relevance"] == 2}
    assert set(queries()) == answered


def test_record_text_is_written_in_the_language_it_claims() -> None:
    for record in of_kind("record"):
        text = record["title"] + " " + record["description"]
        script = SCRIPTS.get(record["language"])
        if script is None:
            assert len(LATIN_WORD.findall(text)) >= 10, record["id"]
            assert not any(pattern.search(text) for pattern in SCRIPTS.values()), record["id"]
        else:
            assert len(script.findall(text)) >= 20, record["id"]


def test_enough_records_in_every_language_and_of_every_type() -> None:
    all_records = of_kind("record")
    assert len(all_records) >= 320
    languages = Counter(record["language"] for record in all_records)
    assert set(languages) == LANGUAGES
    assert min(languages.values()) >= 40, languages
    types = Counter(record["type"] for record in all_records)
    for record_type, share in TYPE_SHARES.items():
        assert abs(types[record_type] / len(all_records) - share) <= TYPE_SLACK, types


def test_enough_queries_in_every_language() -> None:
    all_queries = of_kind("query")
    assert len(all_queries) >= 110
    languages = Counter(query["language"] for query in all_queries)
    assert set(languages) == LANGUAGES
    assert min(languages.values()) >= 15, languages


def test_most_relevant_records_are_in_another_language_than_the_query() -> None:
    known_records, known_queries = records(), queries()
    judgments = of_kind("judgment")
    across = [
        judgment
        for judgment in judgments
        if known_records[judgment["record"]]["language"] != known_queries[judgment["query"]]["language"]
    ]
    assert len(across) >= 0.6 * len(judgments)
