"""Jobs and the rebuild command ask the providers named in SEARCH_PROVIDERS for documents."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from clearinghouse.search import service, tasks
from clearinghouse.search.documents import SearchDocument, SearchQuery
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db

PUBLISHED: dict[str, SearchDocument] = {}
PROVIDER = "clearinghouse.search.tests.test_jobs.provide"


def provide(keys: Collection[str] | None) -> Iterable[SearchDocument]:
    """A registry's provider: its published records among ``keys``."""
    return [PUBLISHED[key] for key in (PUBLISHED if keys is None else keys) if key in PUBLISHED]


@pytest.fixture(autouse=True)
def published() -> None:
    PUBLISHED.clear()
    PUBLISHED.update(
        {
            "NEED-1": document("NEED-1", title="Mangrove restoration"),
            "OFFER-1": document("OFFER-1", title="Mangrove mapping", record_type="offer"),
        }
    )


@override_settings(SEARCH_PROVIDERS=[PROVIDER])
def test_indexing_a_key_asks_the_providers_for_its_document() -> None:
    tasks.index_documents(["NEED-1"])  # huey runs jobs at once in tests
    assert [hit.key for hit in service.search(SearchQuery(text="mangrove")).hits] == ["NEED-1"]


@override_settings(SEARCH_PROVIDERS=[PROVIDER])
def test_a_key_no_provider_returns_any_more_leaves_the_index() -> None:
    tasks.index_documents(["NEED-1", "OFFER-1"])
    del PUBLISHED["NEED-1"]
    tasks.index_documents(["NEED-1"])
    assert [hit.key for hit in service.search(SearchQuery(text="mangrove")).hits] == ["OFFER-1"]


@override_settings(SEARCH_PROVIDERS=[PROVIDER])
def test_removing_documents_takes_them_out() -> None:
    tasks.index_documents(["NEED-1", "OFFER-1"])
    tasks.remove_documents(["OFFER-1"])
    assert service.search(SearchQuery()).total == 1


@override_settings(SEARCH_PROVIDERS=[PROVIDER])
def test_rebuildindex_indexes_every_provider_and_reports_counts_and_time() -> None:
    service.index([document("STALE-1", title="Old")])
    out = StringIO()
    call_command("rebuildindex", stdout=out)
    assert "need: 1" in out.getvalue()
    assert "offer: 1" in out.getvalue()
    assert "Indexed 2 records in" in out.getvalue()
    assert service.search(SearchQuery()).total == 2
