"""Search asks the records nearest in meaning to a query: published records only, nearest first,
at most as many as asked, whatever the query holds; from this host's caches or, without them,
from the stored vectors."""

from __future__ import annotations

import shutil
import threading
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearinghouse.core.testing import World
from clearinghouse.matching import index, semantic
from clearinghouse.matching.centering import LanguageCentering
from clearinghouse.matching.embedders import normalise_rows
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.semantic import LanguageDetector, MeaningRetriever, is_long, retriever
from clearinghouse.matching.suggestions import support_for
from clearinghouse.publishing import workflow
from clearinghouse.search import hybrid
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.semantic import FeedbackRetriever, Retriever, get_retriever
from clearinghouse.search.service import search
from clearinghouse.support.models import Offer, Partnership, Resource
from clearinghouse.support.tests.samples import sample

from .records import committed, publish_need, publish_support
from .test_records_lifecycle import offer_values

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def published(world: World, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    capture = django_capture_on_commit_callbacks
    return {
        "reef": publish_support(capture, Offer, world, offer_values()),
        "seagrass": publish_support(
            capture,
            Resource,
            world,
            {
                "title": "Seagrass meadow mapping guide",
                "description": "How to map seagrass meadows with drones and field plots.",
                "kind": "guide",
                "subjects": [],
            },
        ),
        "need": publish_need(
            capture,
            owner=world.kenya,
            language="en",
            title="Wetland bird counts for migratory species",
            description="We need help counting migratory birds in our wetlands.",
        ),
    }


def keys(text: str, limit: int = 10, language: str = "en") -> list[str]:
    return [hit.key for hit in MeaningRetriever().nearest(text, language, limit)]


def _drop_caches() -> None:
    """This host's caches gone: every catalogue's stored vectors are streamed."""
    index.forget()
    for catalogue in index.Catalogue:
        shutil.rmtree(index.catalogue_dir(catalogue), ignore_errors=True)


def test_the_setting_names_this_retriever() -> None:
    found = get_retriever()
    assert isinstance(found, MeaningRetriever) and isinstance(found, Retriever)
    assert retriever() is retriever()


def test_every_catalogue_answers_nearest_first_with_public_identifiers(published: dict[str, Any]) -> None:
    hits = MeaningRetriever().nearest("Seagrass meadow mapping guide", "en", 10)
    assert hits[0].key == published["seagrass"].identifier
    assert {hit.key for hit in hits} == {record.identifier for record in published.values()}
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    # The need comes from the other catalogue: both are searched, on one scale.
    assert keys("migratory birds wetlands")[0] == published["need"].identifier


def test_it_returns_at_most_the_limit(published: dict[str, Any]) -> None:
    assert len(keys("reef monitoring", limit=2)) == 2
    assert keys("reef monitoring", limit=1) == [published["reef"].identifier]
    assert keys("reef monitoring", limit=0) == []


def test_a_withdrawn_record_is_never_returned(
    published: dict[str, Any], world: World, django_capture_on_commit_callbacks: Any
) -> None:
    reef = published["reef"]
    with committed(django_capture_on_commit_callbacks):
        workflow.archive(reef, actor=world.focal_point)
    assert reef.identifier not in keys("Coral reef monitoring course")


def test_a_record_only_searched_is_found_by_meaning_and_never_matched(
    published: dict[str, Any], world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    # Partnerships are searched, not matched (initiatives are matched while they run).
    values = sample(Partnership, world) | {
        "title": "Reef rangers programme",
        "scope": "Training rangers in coral reef monitoring across marine parks.",
    }
    initiative = publish_support(capture, Partnership, world, values)
    row = StoredEmbedding.objects.get(identifier=initiative.identifier)
    assert (row.side, row.active) == ("record", True)
    assert keys("Reef rangers programme")[0] == initiative.identifier
    reef_need = publish_need(
        capture,
        owner=world.kenya,
        language="en",
        title="Training rangers in coral reef monitoring",
        description="Training rangers in coral reef monitoring across marine parks.",
    )
    # Found by meaning, never suggested as support: it is in neither matching catalogue.
    assert initiative.identifier not in {s.record.identifier for s in support_for(reef_need)}
    assert index.rebuild().records == 1
    with committed(capture):
        workflow.archive(initiative, actor=world.focal_point)
    assert initiative.identifier not in keys("Reef rangers programme")
    assert not StoredEmbedding.objects.filter(identifier=initiative.identifier, active=True).exists()


def test_a_cache_behind_the_database_answers_with_the_rows_changed_since(
    published: dict[str, Any],
    world: World,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capture = django_capture_on_commit_callbacks
    assert keys("Coral reef monitoring course")[0] == published["reef"].identifier
    # Another host writes: this host's caches stay as they are. A large catalogue's means are
    # not estimated again on each change, so the cache is only behind by some rows.
    monkeypatch.setattr(index, "sync", lambda catalogues=(): {})
    monkeypatch.setattr(index, "REBUILD_BELOW", 0)
    kelp = publish_support(
        capture,
        Resource,
        world,
        {"title": "Kelp forest restoration handbook", "description": "Kelp.", "kind": "guide"},
    )
    with committed(capture):
        workflow.archive(published["reef"], actor=world.focal_point)

    def streamed(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a few changed rows are read beside the cache, not the whole catalogue")

    monkeypatch.setattr(semantic, "streamed_nearest", streamed)
    assert keys("Kelp forest restoration handbook")[0] == kelp.identifier
    assert published["reef"].identifier not in keys("Coral reef monitoring course")
    assert published["seagrass"].identifier in keys("Seagrass meadow mapping guide")


def test_without_a_cache_the_stored_vectors_give_the_same_answer(published: dict[str, Any]) -> None:
    cached = MeaningRetriever().nearest("reef survey training for rangers", "en", 10)
    _drop_caches()
    streamed = MeaningRetriever().nearest("reef survey training for rangers", "en", 10)
    assert [hit.key for hit in streamed] == [hit.key for hit in cached]
    assert np.allclose([hit.score for hit in streamed], [hit.score for hit in cached], atol=1e-5)


def test_a_prepared_search_reads_the_database_first_and_then_only_computes(
    published: dict[str, Any],
) -> None:
    # Its computing part runs in another thread while the words are searched: it must not touch
    # the database, whose connections belong to the thread that opened them.
    with CaptureQueriesContext(connection) as reads:
        prepared = MeaningRetriever().prepare("reef survey training for rangers", "en", 10)
    assert len(reads) >= 1 and prepared.threaded
    with CaptureQueriesContext(connection) as reads:
        hits = list(prepared.run())
    assert len(reads) == 0
    assert hits == MeaningRetriever().nearest("reef survey training for rangers", "en", 10)
    _drop_caches()
    streamed = MeaningRetriever().prepare("reef survey training for rangers", "en", 10)
    assert not streamed.threaded
    assert [hit.key for hit in streamed.run()] == [hit.key for hit in hits]


def test_the_search_by_meaning_runs_in_a_thread_of_its_own_beside_the_words(
    published: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    threads: list[str] = []
    nearest = MeaningRetriever._nearest

    def noted(self: MeaningRetriever, *args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return nearest(self, *args)

    monkeypatch.setattr(MeaningRetriever, "_nearest", noted)
    result = search(SearchQuery(text="Seagrass meadow mapping guide", language="en"))
    assert result.hits[0].key == published["seagrass"].identifier
    assert len(threads) == 1 and threads[0].startswith("meaning")

    def broken(self: MeaningRetriever, *args: Any) -> Any:
        raise RuntimeError("vectors unreadable")

    monkeypatch.setattr(MeaningRetriever, "_nearest", broken)
    words_only = search(SearchQuery(text="Seagrass meadow mapping guide", language="en"))
    assert words_only.hits[0].key == published["seagrass"].identifier
    assert "Retrieval by meaning failed; answering by words only" in caplog.messages


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🌊🐠", "🌊 coral reef 🐠", "reef " * 400, "coral 珊瑚礁 الشعاب المرجانية риф", "a" * 2000],
)
def test_any_text_is_answered_without_error(published: dict[str, Any], text: str) -> None:
    hits = MeaningRetriever().nearest(text, "fr", 5)
    assert len(hits) <= 5
    assert all(np.isfinite(hit.score) for hit in hits)


def test_a_query_without_words_has_nothing_to_mean(published: dict[str, Any]) -> None:
    assert keys("") == [] and keys("🌊🐠 !!") == []


def test_nothing_published_nothing_found() -> None:
    assert keys("coral reef") == []


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("الأنواع الغريبة الغازية", "en", "ar"),
        ("外来入侵物种", "fr", "zh"),
        ("мониторинг коралловых рифов", "es", "ru"),
        ("especies exóticas invasoras", "en", "es"),
        ("surveillance des forêts communautaires", "en", "fr"),
        ("community forest monitoring in the Amazon", "fr", "en"),
        # Too short to tell: the reader's language, when it is written in Latin script.
        ("GBF", "es", "es"),
        ("coral", "fr", "fr"),
        # Mixed: the script with most letters.
        ("CBD الأنواع الغريبة الغازية", "en", "ar"),
        ("环境DNA", "en", "zh"),
        ("🌊", "ru", "ru"),
    ],
)
def test_the_query_language_is_detected(text: str, hint: str, expected: str) -> None:
    assert LanguageDetector().detect(text, hint) == expected


def test_centred_rows_give_back_their_raw_vectors() -> None:
    generator = np.random.default_rng(7)
    raw = normalise_rows(generator.normal(size=(6, 32)))
    means = {"en": normalise_rows(generator.normal(size=(1, 32)))[0] * 0.4}
    centering = LanguageCentering(means=means, fallback=np.full(32, 0.05, dtype=np.float32))
    languages = ["en", "en", "fr", "en", "ar", "fr"]
    centred = centering.center(raw, languages)
    assert np.allclose(centering.uncenter(centred, languages), raw, atol=1e-5)


def test_only_a_long_query_is_centred_by_its_language() -> None:
    assert not is_long("especies exóticas invasoras en islas del Caribe")
    assert is_long(" ".join(["reef"] * 20))
    assert not is_long("外来入侵物种的早期发现与快速反应")
    assert is_long("外来入侵物种" * 7)


def test_records_fed_back_find_what_is_nearest_them_together(published: dict[str, Any]) -> None:
    found = MeaningRetriever()
    assert isinstance(found, FeedbackRetriever)
    seagrass = published["seagrass"].identifier
    hits = found.around([seagrass], 10)
    assert hits[0].key == seagrass, "a record is nearest its own centred vector"
    assert {hit.key for hit in hits} == {record.identifier for record in published.values()}
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    both = found.around([seagrass, published["need"].identifier], 2)
    assert {hit.key for hit in both} == {seagrass, published["need"].identifier}
    # The query may be added to the centroid; it moves the answer towards itself.
    leaning = MeaningRetriever(feedback_query_weight=5.0).around(
        [seagrass], 1, "migratory birds wetlands", "en"
    )
    assert [hit.key for hit in leaning] == [published["need"].identifier]


def test_nothing_is_fed_back_from_unknown_keys_or_none(published: dict[str, Any]) -> None:
    found = MeaningRetriever()
    assert found.around([], 10) == []
    assert found.around(["NOT-A-RECORD"], 10) == []
    assert found.around([published["reef"].identifier], 0) == []


def test_search_feeds_its_best_records_back_and_finds_their_neighbours(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture = django_capture_on_commit_callbacks
    guide = {"kind": "guide", "subjects": []}
    publish_support(
        capture,
        Resource,
        world,
        {"title": "Seagrass quadrat transects", "description": "Quadrat and transect counts by drone."}
        | guide,
    )
    neighbour = publish_support(
        capture,
        Resource,
        world,
        {"title": "Quadrat transects by drone", "description": "Transect and quadrat counts, drone."} | guide,
    )
    publish_support(
        capture, Resource, world, {"title": "Budget lines", "description": "Accounting rules."} | guide
    )
    monkeypatch.setattr(hybrid, "FUSION", hybrid.Fusion(feedback=0))
    # The hashing model knows words only: the neighbour shares none with the query.
    assert neighbour.identifier not in {hit.key for hit in search(SearchQuery(text="seagrass")).hits}
    monkeypatch.setattr(hybrid, "FUSION", hybrid.Fusion(feedback=1))
    found = search(SearchQuery(text="seagrass")).hits
    assert [hit.key for hit in found][1:] == [neighbour.identifier], "near the best record, not the budget"
    assert found[1].by_meaning
