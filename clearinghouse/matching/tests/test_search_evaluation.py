"""Search measured on a dataset: the records published through the workflow, every query run
through the search service as the page runs it, and the figures printed as the command promises."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clearinghouse.core.testing import World
from clearinghouse.matching.search_evaluation import (
    parse_search_dataset,
    publish_records,
    read_search_dataset,
    score_queries,
)
from clearinghouse.search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("vocabularies")

DEVSET = Path(__file__).resolve().parents[2] / "search" / "data" / "devset.jsonl"

TINY = [
    {
        "kind": "record",
        "id": "R1",
        "type": "need",
        "language": "es",
        "title": "Monitoreo de arrecifes de coral",
        "description": "Capacitación de guardaparques en monitoreo de arrecifes.",
    },
    {
        "kind": "record",
        "id": "R2",
        "type": "offer",
        "language": "en",
        "title": "Coral reef monitoring course",
        "description": "Field training in reef survey methods.",
    },
    {
        "kind": "record",
        "id": "R3",
        "type": "resource",
        "language": "fr",
        "title": "Guide des herbiers marins",
        "description": "Cartographie des herbiers.",
    },
    {
        "kind": "record",
        "id": "R4",
        "type": "event",
        "language": "en",
        "title": "Webinar on coral bleaching",
        "description": "Bleaching alerts for reef managers.",
    },
    {
        "kind": "record",
        "id": "R5",
        "type": "initiative",
        "language": "en",
        "title": "Seagrass restoration programme",
        "description": "Replanting seagrass meadows.",
    },
    {"kind": "query", "id": "Q1", "language": "en", "text": "coral reef monitoring"},
    {"kind": "judgment", "query": "Q1", "record": "R2", "relevance": 2},
    {"kind": "judgment", "query": "Q1", "record": "R1", "relevance": 2},
    {"kind": "judgment", "query": "Q1", "record": "R4", "relevance": 1},
]


def write(path: Path, lines: list[object]) -> Path:
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('["a list"]', "line 2: expected a JSON object"),
        ('{"kind": "recrod", "id": "R9"}', "line 2: unknown kind 'recrod'"),
        (
            '{"kind": "record", "id": "R1", "type": "need", "language": "en", "title": "Again"}',
            "line 2: id 'R1' is already used",
        ),
        (
            '{"kind": "record", "id": "R9", "type": "course", "language": "en", "title": "T"}',
            "line 2: unknown type",
        ),
        (
            '{"kind": "record", "id": "R9", "type": "need", "language": "pt", "title": "T"}',
            "line 2: unknown language",
        ),
        (
            '{"kind": "record", "id": "R9", "type": "need", "language": "en", "title": " "}',
            "line 2: 'title' must not be empty",
        ),
        ('{"kind": "query", "id": "Q9", "language": "en"}', "line 2: 'text' must be a string"),
        (
            '{"kind": "judgment", "query": "Q404", "record": "R1", "relevance": 2}',
            "line 2: unknown query 'Q404'",
        ),
        (
            '{"kind": "judgment", "query": "Q1", "record": "R1", "relevance": 3}',
            "line 2: relevance must be 0, 1 or 2",
        ),
    ],
)
def test_a_malformed_line_stops_the_command_with_its_number(tmp_path: Path, line: str, message: str) -> None:
    dataset = tmp_path / "bad.jsonl"
    first = (
        '{"kind": "record", "id": "R1", "type": "need", "language": "en", "title": "T", "description": ""}'
    )
    last = '{"kind": "query", "id": "Q1", "language": "en", "text": "t"}'
    dataset.write_text(f"{first}\n{line}\n{last}\n", encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("evaluate-search", str(dataset))
    assert not SearchEntry.objects.exists(), "nothing was published"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("evaluate-search", str(tmp_path / "none.jsonl"))


# Committed for real: the index and catalogue jobs run after the records' transactions commit.
@pytest.mark.django_db(transaction=True)
def test_the_command_prints_the_figures_last_and_writes_the_rankings(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "ranks.jsonl"
    call_command(
        "evaluate-search",
        str(write(tmp_path / "tiny.jsonl", TINY)),
        "--in-this-database",
        "--output",
        str(output),
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"recall@10=\d\.\d{3} mrr=\d\.\d{3} ndcg@10=\d\.\d{3} queries=1 records=5", lines[-1])
    assert re.fullmatch(r"cross-lingual recall@10=\d\.\d{3} queries=1", lines[-2])
    [ranking] = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert ranking["query"] == "Q1"
    assert ranking["ranked"][0] == "R2", "the English record holding every word"
    assert set(ranking["ranked"]) <= {"R1", "R2", "R3", "R4", "R5"}, "dataset ids, not identifiers"
    # Every type was published as the platform's own, through the workflow (the world's
    # organisations are searched too).
    records = SearchEntry.objects.exclude(record_type="organisation")
    assert sorted(records.values_list("record_type", flat=True)) == sorted(
        ["need", "offer", "resource", "opportunity", "initiative"]
    )


def test_the_scores_follow_the_judgements(world: World, django_capture_on_commit_callbacks: Any) -> None:
    dataset = parse_search_dataset([json.dumps(line) for line in TINY])
    with django_capture_on_commit_callbacks(execute=True):
        identifiers = publish_records(dataset.records, world.kenya)
    report = score_queries(dataset, identifiers)
    ranked = report.rankings["Q1"]
    assert report.overall.recall == pytest.approx(
        sum(record in ranked[:10] for record in ("R1", "R2", "R4")) / 3
    )
    assert report.overall.mrr == 1.0
    assert report.cross_lingual_queries == 1, "R1 is in Spanish"


@pytest.mark.usefixtures("real_model")
def test_the_development_set_is_answered_across_languages(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    dataset = read_search_dataset(DEVSET)
    assert len(dataset.records) >= 300 and len(dataset.queries) >= 100
    with django_capture_on_commit_callbacks(execute=True):
        identifiers = publish_records(dataset.records, world.kenya)
    report = score_queries(dataset, identifiers)
    # The targets are recall@10 0.90, MRR 0.80 and cross-lingual recall@10 0.85. On SQLite,
    # 0.821, 0.914 and 0.809 (docs/search.md: 0.792, 0.931, 0.781 before the records holding
    # every word that has names elsewhere and the semantic hits at half weight). PostgreSQL
    # ranks the words with ts_rank_cd and measured 0.771, 0.930 and 0.760 before those steps;
    # its floors keep that, with MRR's room for the half weight's trade (0.02 on SQLite). It
    # measures 0.800, 0.911 and 0.788 since it ranks queries of more than 8 words, and the
    # records holding some of the words, by ts_rank (0.794, 0.928, 0.777 by ts_rank_cd).
    if connection.vendor == "sqlite":
        assert report.overall.recall >= 0.80
        assert report.overall.mrr >= 0.89
        assert report.cross_lingual_recall >= 0.79
    else:
        assert report.overall.recall >= 0.75
        assert report.overall.mrr >= 0.86
        assert report.cross_lingual_recall >= 0.74
