"""The switches that ask whether the matcher reads the text: tags taken away, and the embedding
alone as the baseline, behind eligibility and the types of support."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.dataset import DatasetError, parse_dataset
from clearinghouse.matching.engine import Matcher
from clearinghouse.matching.evaluation import without
from clearinghouse.matching.vocabulary import default_vocabularies

from .conftest import need, offer

LINES: list[dict[str, object]] = [
    {
        "kind": "need",
        "id": "N1",
        "language": "en",
        "title": "Coral reef monitoring training",
        "description": "Training for rangers",
        "country": "FJ",
        "support_types": ["training"],
        "targets": ["GBF-T3"],
        "subjects": ["SUBJ-PROTECTED-AREAS"],
        "group": "near-miss",
    },
    {
        "kind": "offer",
        "id": "O1",
        "language": "en",
        "title": "Coral reef monitoring course",
        "description": "For rangers",
        "countries_eligible": ["SIDS"],
        "support_types": ["training"],
        "targets": ["GBF-T3"],
    },
    {
        "kind": "offer",
        "id": "O2",
        "language": "en",
        "title": "Coral reef monitoring grants",
        "description": "Grants for reef monitoring by rangers",
        "support_types": ["funding"],
        "targets": ["GBF-T3"],
    },
    {"kind": "match", "need": "N1", "offer": "O1", "relevance": 2},
]


def _write(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    return path


def test_without_empties_the_tags_named_and_keeps_texts_and_judgements(countries: CountryDirectory) -> None:
    dataset = parse_dataset([json.dumps(line) for line in LINES], countries, default_vocabularies())
    stripped = without(dataset, ["targets", "support_types"])
    assert [(n.targets, n.support_types, n.subjects) for n in stripped.needs] == [
        ((), (), ("SUBJ-PROTECTED-AREAS",))
    ]
    assert all(o.targets == () and o.support_types == () for o in stripped.offers)
    assert [o.text for o in stripped.offers] == [o.text for o in dataset.offers]
    assert stripped.judgements == {"N1": {"O1": 2}}
    assert stripped.groups == {"N1": "near-miss"}
    # The dataset itself is left as it was.
    assert dataset.needs[0].targets == ("GBF-T3",)
    with pytest.raises(ValueError, match="unknown tags colour"):
        without(dataset, ["colour"])


def test_a_need_s_group_must_be_a_name(countries: CountryDirectory) -> None:
    bad = {**LINES[0], "group": ""}
    with pytest.raises(DatasetError, match="line 1: 'group' must be a non-empty string"):
        parse_dataset([json.dumps(bad)], countries, default_vocabularies())


def test_the_baseline_leaves_out_other_types_of_support_and_the_ineligible(
    build: Callable[..., Matcher],
) -> None:
    matcher = build(
        [
            offer("O1"),
            offer("O2", support_types=("funding",)),
            offer("O3", support_types=()),  # says nothing: kept
            offer("O4", countries_eligible=("Africa",)),  # Fiji is not admitted
            offer("O5", support_types=("funding", "training")),
        ]
    )
    assert sorted(matcher.embedding_baseline(need())) == ["O1", "O3", "O5"]
    assert sorted(matcher.embedding_baseline(need(), support_filter=False)) == ["O1", "O2", "O3", "O5"]
    # A need that names no type of support is not filtered either.
    assert sorted(matcher.embedding_baseline(need(support_types=()))) == ["O1", "O2", "O3", "O5"]


@pytest.mark.django_db  # the command reads the Country table
def test_the_command_ranks_by_the_embedding_alone_and_without_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _write(tmp_path / "tiny.jsonl", LINES)
    output = tmp_path / "ranks.jsonl"
    hashing = "clearinghouse.matching.embedders.HashingEmbedder"
    baseline = ["--embedder", hashing, "--ranking", "embedding", "--output", str(output)]
    call_command("evaluate-matching", str(dataset), *baseline)
    printed = capsys.readouterr().out
    assert "ranking=embedding" in printed
    assert "group=near-miss recall@10=1.000" in printed
    # The grants are of another type of support than the training asked for: left out.
    assert json.loads(output.read_text(encoding="utf-8"))["ranked"] == ["O1"]
    call_command("evaluate-matching", str(dataset), *baseline, "--without", "support_types")
    assert "without=support_types" in capsys.readouterr().out
    assert sorted(json.loads(output.read_text(encoding="utf-8"))["ranked"]) == ["O1", "O2"]


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_tag(tmp_path: Path) -> None:
    dataset = _write(tmp_path / "tiny.jsonl", LINES)
    with pytest.raises(CommandError, match="unknown tag 'colour'"):
        call_command("evaluate-matching", str(dataset), "--without", "targets,colour")
