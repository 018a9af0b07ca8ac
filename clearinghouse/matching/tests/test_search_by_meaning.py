"""Search asks the records nearest in meaning to a query: published records only, nearest first,
at most as many as asked, whatever the query holds; from this host's caches or, without them,
from the stored vectors."""

from __future__ import annotations

import shutil
from typing import Any

import numpy as np
import pytest

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.centering import LanguageCentering
from clearinghouse.matching.embedders import normalise_rows
from clearinghouse.matching.semantic import LanguageDetector, MeaningRetriever, retriever
from clearinghouse.publishing import workflow
from clearinghouse.search.semantic import Retriever, get_retriever
from clearinghouse.support.models import Offer, Resource

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


def test_without_a_cache_the_stored_vectors_give_the_same_answer(published: dict[str, Any]) -> None:
    cached = MeaningRetriever().nearest("reef survey training for rangers", "en", 10)
    index.forget()
    for catalogue in index.Catalogue:
        shutil.rmtree(index.catalogue_dir(catalogue), ignore_errors=True)
    streamed = MeaningRetriever().nearest("reef survey training for rangers", "en", 10)
    assert [hit.key for hit in streamed] == [hit.key for hit in cached]
    assert np.allclose([hit.score for hit in streamed], [hit.score for hit in cached], atol=1e-5)


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
