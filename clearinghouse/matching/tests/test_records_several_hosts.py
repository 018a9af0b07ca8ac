"""Two app hosts on one PostgreSQL database, each with its own VAR_DIR and so its own caches: a
record published through one is suggested and found through the other at once, from the stored
vectors, and the other host's worker then brings its cache up to date with just that change.

The hosts run in this process one after the other: each with its own MATCHING_INDEX_DIR, and
everything a process holds in memory forgotten when it takes over, so that what one host
knows reaches the other only through the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.matching import index
from clearinghouse.matching.engine import read_stamp
from clearinghouse.matching.index import Catalogue
from clearinghouse.matching.streamed import StreamedMatcher
from clearinghouse.matching.suggestions import needs_for, support_for
from clearinghouse.publishing import workflow
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.support.models import Offer

from .records import committed, publish_support
from .test_records_lifecycle import offer_values, reef_need

pytestmark = pytest.mark.usefixtures("vocabularies")

Host = Callable[[str], AbstractContextManager[Path]]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("app hosts share one database only on PostgreSQL (an SQLite file is one machine's)")


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Host:
    # Large-catalogue behaviour at test size: a change is applied to caches, not rebuilt.
    monkeypatch.setattr(index, "REBUILD_BELOW", 0)

    @contextmanager
    def on(name: str) -> Iterator[Path]:
        directory = tmp_path / name / "var" / "matching"
        with override_settings(VAR_DIR=tmp_path / name / "var", MATCHING_INDEX_DIR=str(directory)):
            index.forget()
            try:
                yield directory
            finally:
                index.forget()

    return on


def files(directory: Path) -> dict[str, float]:
    return {str(path): path.stat().st_mtime_ns for path in directory.rglob("*") if path.is_file()}


def test_a_record_published_through_one_host_is_suggested_and_found_through_the_other(
    world: World, django_capture_on_commit_callbacks: Any, host: Host
) -> None:
    with host("a"):
        need = reef_need(django_capture_on_commit_callbacks, world)
        wetlands = publish_support(
            django_capture_on_commit_callbacks,
            Offer,
            world,
            offer_values(title="Wetland inventories", description="Mapping inland wetlands.", gbf_targets=[]),
        )
        index.rebuild()
    with host("b") as b_cache:
        assert index.sync() == {
            Catalogue.SUPPORT: "built",
            Catalogue.NEEDS: "built",
            Catalogue.RECORDS: "empty",
        }
        assert [s.record for s in support_for(need)] == [wetlands]
        before = files(b_cache)

    with host("a") as a_cache:
        offer = publish_support(django_capture_on_commit_callbacks, Offer, world, offer_values())
        assert (a_cache / "support" / "stamp.json").exists()  # A's worker updated A's cache

    with host("b") as b_cache:
        # B's cache is a version behind: B answers from the stored vectors, and writes nothing.
        assert isinstance(index.matcher_for(Catalogue.SUPPORT), StreamedMatcher)
        assert [s.record for s in support_for(need)] == [offer, wetlands]
        assert [s.record for s in needs_for(offer)] == [need]
        assert offer.identifier in [hit.key for hit in service.search(SearchQuery(text="reef")).hits]
        assert files(b_cache) == before
        # B's worker (the periodic job) applies the one change; no rebuild.
        assert index.sync()[Catalogue.SUPPORT] == "updated:1"
        assert read_stamp(b_cache / "support") == read_stamp(a_cache / "support")

    with host("b"):
        cached = index.matcher_for(Catalogue.SUPPORT)
        assert not isinstance(cached, StreamedMatcher) and cached.profile(offer.identifier) is not None
        assert [s.record for s in support_for(need)] == [offer, wetlands]

    with host("a"), committed(django_capture_on_commit_callbacks):
        workflow.archive(offer, actor=world.focal_point)
    with host("b"):
        assert [s.record for s in support_for(need)] == [wetlands]
        assert index.sync()[Catalogue.SUPPORT] == "updated:1"
        assert index.matcher_for(Catalogue.SUPPORT).profile(offer.identifier) is None
