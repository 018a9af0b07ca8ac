"""The vector index: exact and approximate search agree, masks filter, the index is saved and
loaded again, offers come and go; without hnswlib (a production-only package) search is exact."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from clearinghouse.matching.embedders import HashingEmbedder, default_embedder, load_embedder, normalise_rows
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.vectors import ExactIndex, HnswIndex, load_index

from .conftest import need, offer


def random_vectors(count: int, dimension: int = 32, seed: int = 1) -> np.ndarray:
    return normalise_rows(np.random.default_rng(seed).standard_normal((count, dimension)))


def test_exact_search_returns_the_best_allowed_rows_best_first() -> None:
    vectors = random_vectors(500)
    index = ExactIndex(32, vectors)
    query = vectors[42]
    allowed = np.ones(500, dtype=bool)
    allowed[42] = False
    rows, scores = index.search(query, 5, allowed)
    expected = np.argsort(-(vectors @ query))
    assert rows.tolist() == [row for row in expected if row != 42][:5]
    assert list(scores) == sorted(scores, reverse=True)


def test_hnsw_finds_nearly_what_exact_search_finds() -> None:
    vectors = random_vectors(3000, seed=2)
    exact, approximate = ExactIndex(32, vectors), HnswIndex(32, vectors)
    allowed = np.random.default_rng(3).random(3000) < 0.6
    overlap = []
    for row in range(0, 3000, 100):
        expected, _ = exact.search(vectors[row], 10, allowed)
        found, _ = approximate.search(vectors[row], 10, allowed)
        assert allowed[found].all()
        overlap.append(len(set(found) & set(expected)) / 10)
    assert np.mean(overlap) >= 0.9


def test_a_large_registry_gets_the_approximate_index(build: Callable[..., Matcher]) -> None:
    matcher = build([offer(f"O{n}", title=f"Course {n}") for n in range(30)], exact_limit=20)
    assert matcher.index is not None
    assert matcher.index.kind == "hnsw"
    assert matcher.match(need())


def test_a_saved_index_loads_and_answers_the_same(build: Callable[..., Matcher], tmp_path: Path) -> None:
    offers = [
        offer(f"O{n}", title=f"Course {n} on reefs", countries_eligible=("SIDS",) if n % 2 else ())
        for n in range(12)
    ]
    matcher = build(offers)
    matcher.remove(["O3"])
    matcher.add([offer("O5", title="Course 5 on reefs, new edition")])  # the old row stays, withdrawn
    matcher.save(tmp_path / "index")
    loaded = Matcher.load(tmp_path / "index", HashingEmbedder(), countries=matcher.countries)
    assert [s.offer_id for s in loaded.match(need())] == [s.offer_id for s in matcher.match(need())]
    found = [s.offer_id for s in loaded.match(need(), limit=20)]
    assert "O3" not in found
    assert found.count("O5") == 1
    assert len(loaded) == 11


def test_an_index_of_another_model_is_refused(build: Callable[..., Matcher], tmp_path: Path) -> None:
    build([offer("O1")]).save(tmp_path / "index")

    class OtherModel(HashingEmbedder):
        name = "other-model"

    with pytest.raises(MatchingError, match="rebuild it"):
        Matcher.load(tmp_path / "index", OtherModel())


def test_offers_can_be_added_replaced_and_withdrawn(build: Callable[..., Matcher]) -> None:
    matcher = build([offer("O1")])
    matcher.add([offer("O2", title="Reef course"), offer("O1", title="Reef monitoring, new edition")])
    assert len(matcher) == 2
    matcher.remove(["O2"])
    assert [s.offer_id for s in matcher.match(need())] == ["O1"]


def test_the_embedder_is_chosen_by_a_setting() -> None:
    load_embedder.cache_clear()
    try:
        with override_settings(MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder"):
            assert isinstance(default_embedder(), HashingEmbedder)
        with (
            override_settings(MATCHING_EMBEDDER="clearinghouse.matching.dataset.Dataset"),
            pytest.raises(TypeError, match="does not make an Embedder"),
        ):
            default_embedder()
    finally:
        load_embedder.cache_clear()


def test_without_hnswlib_a_large_registry_is_searched_exactly_and_the_log_says_so(
    build: Callable[..., Matcher], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # hnswlib is installed for production only (requirements/production.txt); `make run` works
    # without it. None in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "hnswlib", None)
    matcher = build([offer(f"O{n}", title=f"Course {n}") for n in range(30)], exact_limit=20)
    assert matcher.index is not None
    assert matcher.index.kind == "exact"
    assert matcher.match(need())
    assert "hnswlib is not installed" in caplog.text
    assert "requirements/production.txt" in caplog.text


def test_an_hnsw_index_saved_with_hnswlib_is_read_exactly_without_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    vectors = random_vectors(300, seed=4)
    HnswIndex(32, vectors).save(tmp_path)
    monkeypatch.setitem(sys.modules, "hnswlib", None)
    loaded = load_index(tmp_path)
    assert loaded.kind == "exact"
    rows, _scores = loaded.search(vectors[7], 5)
    assert rows.tolist() == ExactIndex(32, vectors).search(vectors[7], 5)[0].tolist()
