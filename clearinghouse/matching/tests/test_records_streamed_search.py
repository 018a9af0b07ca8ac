"""A process whose host has no up-to-date cache answers from the stored vectors, streamed from
the database in chunks: the same suggestions as the cache gives, and not a file written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.index import Catalogue
from clearinghouse.matching.streamed import StreamedMatcher, nearest
from clearinghouse.matching.suggestions import needs_for, support_for
from clearinghouse.support.models import Offer

from .records import publish_support
from .test_records_lifecycle import offer_values, reef_need

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def no_cache(tmp_path: Path) -> Iterator[Path]:
    """This process on a host whose cache directory is empty (a web host started afresh)."""
    directory = tmp_path / "empty-host"
    with override_settings(MATCHING_INDEX_DIR=str(directory)):
        index.forget()
        yield directory
    index.forget()


def publish_offers(capture: Any, world: World) -> list[Offer]:
    return [
        publish_support(capture, Offer, world, offer_values()),
        publish_support(
            capture,
            Offer,
            world,
            offer_values(
                title="Seagrass and reef mapping",
                description="Mapping seagrass beds and reefs with drones for park staff.",
                eligibility=[],
            ),
        ),
        # Open to Asia-Pacific only: never suggested to Kenya, cache or no cache.
        publish_support(
            capture,
            Offer,
            world,
            offer_values(title="Reef survey course in Fiji", eligibility=["Asia-Pacific"]),
        ),
    ]


def test_without_a_cache_the_suggestions_come_from_the_stored_vectors_and_no_file_is_written(
    world: World, django_capture_on_commit_callbacks: Any, request: pytest.FixtureRequest
) -> None:
    need = reef_need(django_capture_on_commit_callbacks, world)
    offers = publish_offers(django_capture_on_commit_callbacks, world)
    cached = support_for(need)
    reverse_cached = needs_for(offers[0])
    assert [s.record for s in cached][:2] and offers[2] not in [s.record for s in cached]

    directory = request.getfixturevalue("no_cache")
    assert isinstance(index.matcher_for(Catalogue.SUPPORT), StreamedMatcher)
    streamed = support_for(need)
    assert [s.record for s in streamed] == [s.record for s in cached]
    assert [s.explanation for s in streamed] == [s.explanation for s in cached]
    assert [s.record for s in needs_for(offers[0])] == [s.record for s in reverse_cached]
    assert not directory.exists()


def test_the_streamed_search_merges_each_chunk_into_the_exact_top_k(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    reef_need(django_capture_on_commit_callbacks, world)
    publish_offers(django_capture_on_commit_callbacks, world)
    matcher = index.matcher_for(Catalogue.SUPPORT)
    assert matcher.centering is not None and matcher.index is not None
    query = matcher.centering.center(matcher.embed(["reef survey training"]), ["en"])[0]
    everyone = {"global", "Africa", "Asia-Pacific", "KE"}
    exact_rows, _ = matcher.index.search(query, 2, matcher.eligible_rows("", everyone))
    exact = [matcher._catalogue.profiles[row].id for row in exact_rows]
    for chunk_rows in (1, 2, 1000):
        found = nearest(
            "support", matcher.embedder, matcher.centering, query, everyone, 2, chunk_rows=chunk_rows
        )
        assert [profile.id for profile in found.profiles] == exact
        assert found.vectors.shape == (2, matcher.embedder.dimension) and np.isfinite(found.vectors).all()
