"""The development set, end to end: the quality targets hold, overall and across languages.

The held-out split (whole topics, about a fifth of the needs) was not used to tune the weights; it
must reach the targets too, or the weights fit the development split rather than the task.

The tags of the set nearly encode its judgements (the same author wrote both), so the matcher
must also hold its targets with the tags taken away, and rank at least as well as the embedding
alone, on the whole set and on the needs whose offers include near misses (same topic and words,
wrong scope, audience or instrument).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.dataset import read_dataset
from clearinghouse.matching.embedders import CachedEmbedder
from clearinghouse.matching.evaluation import EMBEDDING, evaluate, without
from clearinghouse.matching.vocabulary import default_vocabularies

from .conftest import DEVSET


@pytest.mark.django_db  # the labels of the vocabularies may be read from the database
def test_the_development_set_meets_the_quality_targets(
    model: CachedEmbedder, countries: CountryDirectory
) -> None:
    dataset = read_dataset(DEVSET, countries, default_vocabularies())
    assert len(dataset.needs) >= 90
    assert len(dataset.offers) >= 220
    assert sum(group == "near-miss" for group in dataset.groups.values()) >= 20
    report = evaluate(dataset, model)
    assert report.overall.recall >= 0.90
    assert report.overall.mrr >= 0.70
    assert report.cross_lingual_recall >= 0.85
    assert report.cross_lingual_pairs > report.same_language_pairs * 3  # mostly cross-lingual
    held_out = report.by_split["heldout"]
    assert held_out.recall >= 0.85
    assert held_out.mrr >= 0.70


@pytest.mark.django_db
@pytest.mark.parametrize("tags", [["targets"], ["support_types"]])
def test_the_matcher_meets_the_recall_target_with_tags_taken_away(
    model: CachedEmbedder, countries: CountryDirectory, tags: list[str]
) -> None:
    # Real records are tagged less carefully than the development set: without GBF targets the
    # text carries the ranking (measured recall@10 0.934, MRR 0.969); without types of support,
    # recall@10 0.964, MRR 0.947.
    dataset = without(read_dataset(DEVSET, countries, default_vocabularies()), tags)
    report = evaluate(dataset, model)
    assert report.overall.recall >= 0.85
    assert report.overall.mrr >= 0.70
    assert report.by_split["heldout"].recall >= 0.85


@pytest.mark.django_db
def test_the_matcher_ranks_at_least_as_well_as_the_embedding_alone(
    model: CachedEmbedder, countries: CountryDirectory
) -> None:
    dataset = read_dataset(DEVSET, countries, default_vocabularies())
    matcher = evaluate(dataset, model)
    # The baseline as asked for (eligibility and types of support filter, the embedding ranks)
    # and without the filter, which loses fewer offers judged relevant in part.
    baselines = [
        evaluate(dataset, model, ranking=EMBEDDING),
        evaluate(without(dataset, ["support_types"]), model, ranking=EMBEDDING),
    ]
    for baseline in baselines:
        assert matcher.overall.mrr >= baseline.overall.mrr
        assert matcher.overall.recall >= baseline.overall.recall
        near_miss, plain = matcher.by_group["near-miss"], baseline.by_group["near-miss"]
        assert near_miss.mrr >= plain.mrr
        assert near_miss.recall >= plain.recall


@pytest.mark.django_db  # the command reads the Country table
def test_the_command_prints_the_scores_last_and_writes_the_rankings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = tmp_path / "tiny.jsonl"
    dataset.write_text(
        "\n".join(
            [
                '{"kind":"need","id":"N1","language":"en","title":"Coral reef monitoring training",'
                '"description":"Training for rangers","country":"FJ","support_types":["training"],'
                '"targets":["GBF-T3"]}',
                '{"kind":"offer","id":"O1","language":"en","title":"Coral reef monitoring course",'
                '"description":"For rangers","countries_eligible":["SIDS"],"support_types":["training"],'
                '"targets":["GBF-T3"]}',
                '{"kind":"offer","id":"O2","language":"en","title":"Finance","description":"Grants",'
                '"countries_eligible":["Africa"],"support_types":["funding"],"targets":[]}',
                '{"kind":"match","need":"N1","offer":"O1","relevance":2}',
            ]
        ),
        encoding="utf-8",
    )
    output = tmp_path / "ranks.jsonl"
    call_command(
        "evaluate-matching",
        str(dataset),
        "--output",
        str(output),
        "--embedder",
        "clearinghouse.matching.embedders.HashingEmbedder",
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "recall@10=1.000 mrr=1.000 ndcg@10=1.000 needs=1 offers=2"
    # O2 is for African countries only: Fiji never sees it.
    assert output.read_text(encoding="utf-8").strip() == '{"need": "N1", "ranked": ["O1"]}'
