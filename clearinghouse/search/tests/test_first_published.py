"""The service finds the records first published in a time window (for saved searches' alerts):
a new version of an old record is not new. Runs on whichever database the suite uses, so both
backends are held to it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.models import SearchEntry
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db

AFTER = datetime(2026, 3, 1, tzinfo=UTC)
UNTIL = datetime(2026, 3, 8, tzinfo=UTC)


@pytest.fixture(autouse=True)
def records() -> None:
    service.index(
        [
            document("IN-1", title="Mangrove nursery", published="2026-03-02", party=["KE"]),
            document("IN-2", title="Mangrove carbon", published="2026-03-05", party=["TZ"]),
            document("IN-3", title="Coral reefs", published="2026-03-06", party=["KE"]),
            document("BEFORE", title="Mangrove survey", published="2026-02-27"),
            document("AFTER", title="Mangrove atlas", published="2026-03-09"),
            document("AGAIN", title="Mangrove map", published="2026-03-04", first_published="2025-10-01"),
            document("EDGE", title="Mangrove edge", published="2026-03-01T00:00:00"),
        ]
    )


def _keys(query: SearchQuery, limit: int = 10, exclude: tuple[str, ...] = ()) -> list[str]:
    return [hit.key for hit in service.first_published_between(query, AFTER, UNTIL, limit, exclude)]


def test_the_entry_keeps_the_first_publication_beside_the_latest() -> None:
    entry = SearchEntry.objects.get(key="AGAIN")
    assert entry.first_published_at == datetime(2025, 10, 1, tzinfo=UTC)
    assert entry.published_at == datetime(2026, 3, 4, tzinfo=UTC)
    assert SearchEntry.objects.get(key="IN-1").first_published_at == datetime(2026, 3, 2, tzinfo=UTC)


def test_records_first_published_in_the_window_newest_first() -> None:
    assert _keys(SearchQuery()) == ["IN-3", "IN-2", "IN-1"], "after, not at, the start"


def test_words_and_filters_act_as_in_a_search() -> None:
    assert _keys(SearchQuery(text="mangrove")) == ["IN-2", "IN-1"]
    assert _keys(SearchQuery(filters={"party": ["KE"]})) == ["IN-3", "IN-1"]
    assert _keys(SearchQuery(text="mangrove", filters={"party": ["KE"]})) == ["IN-1"]


def test_excluded_keys_are_left_out_and_the_limit_keeps_the_newest() -> None:
    assert _keys(SearchQuery(), exclude=("IN-3",)) == ["IN-2", "IN-1"]
    assert _keys(SearchQuery(), limit=2) == ["IN-3", "IN-2"]


def test_many_republished_records_do_not_hide_new_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    # Matches are read a batch at a time: a batch of records published again, not new, is skipped.
    monkeypatch.setattr(service, "FRESH_BATCH", 1)
    service.index(
        [
            document(f"AGAIN-{n}", title="Mangrove", published="2026-03-07", first_published="2025-01-01")
            for n in range(3)
        ]
    )
    assert _keys(SearchQuery(text="mangrove")) == ["IN-2", "IN-1"]
