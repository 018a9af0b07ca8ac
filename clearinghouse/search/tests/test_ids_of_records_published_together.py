"""Records published in the same second (an import, a migration) all get ids, each the first
free one at or after the id it asks for, and placing them stays cheap however many there are
(the third test through the index). A rebuild gives the same ids holding only the latest
second's in memory."""

from __future__ import annotations

import random
from typing import Any

import pytest

from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.entries import BUCKETS, IdAllocator, RebuildIds, entry_id, first_id
from clearinghouse.search.tests.factories import document


class CountingDict(dict[int, int]):
    """The allocator's taken ids, counting how often one is looked up."""

    lookups = 0

    def __contains__(self, key: Any) -> bool:
        self.lookups += 1
        return super().__contains__(key)


def first_free(wanted: list[int], taken: set[int]) -> list[int]:
    """The ids one at a time: the first free id at or after each wanted one."""
    ids = []
    for candidate in wanted:
        while candidate in taken:
            candidate += 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


def test_records_published_in_the_same_second_take_the_next_free_ids() -> None:
    # More records than buckets in a second: they spill over into the ids of the next seconds.
    documents = [document(f"CB-NEED-KE-{number:07d}") for number in range(2 * BUCKETS)]
    already = {entry_id(documents[0].published_at, "CB-NEED-TZ-0000001") + step for step in range(50)}
    allocator = IdAllocator(already)

    ids = allocator.assign(documents[:BUCKETS]) + allocator.assign(documents[BUCKETS:])

    wanted = [entry_id(item.published_at, item.key) for item in documents]
    assert ids == first_free(wanted, set(already))
    assert len(set(ids) | already) == len(ids) + len(already)


def test_placing_records_published_together_looks_at_a_few_ids_each() -> None:
    # Walking the whole queue before each record would cost about N/4 lookups a record (10,000
    # here); with the runs remembered it is about ten, whatever N.
    count = 10 * BUCKETS
    documents = [document(f"CB-OFFER-KE-{number:07d}") for number in range(count)]
    allocator = IdAllocator()
    counting = CountingDict()
    allocator._next = counting

    allocator.assign(documents)

    assert counting.lookups < 16 * count


@pytest.mark.django_db
def test_records_indexed_in_batches_after_others_of_the_same_second_find_free_ids() -> None:
    # An import publishes in batches: a later batch asks for ids the earlier ones took, and the
    # free places after those are further on than the ids it asked for.
    first = [document(f"CB-NEED-KE-{number:07d}") for number in range(600)]
    later = [document(f"CB-NEED-TZ-{number:07d}") for number in range(600)]
    service.index(first)

    assert service.index(later) == 600

    assert service.search(SearchQuery(text="", page_size=1)).total == 1200


class Index:
    """The ids a rebuild has written so far, as the allocator asks the index about them."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.questions = 0

    def taken(self, ids: list[int]) -> set[int]:
        self.questions += 1
        return self.ids.intersection(ids)

    def taken_between(self, low: int, high: int) -> set[int]:
        self.questions += 1
        return {entry for entry in self.ids if low <= entry < high}


def rebuild_ids(documents: list[Any], batch: int, index: Index) -> tuple[list[int], int]:
    """The ids a rebuild gives, batch after batch, and the most runs it held at once."""
    allocator = RebuildIds(index.taken, index.taken_between)
    ids: list[int] = []
    most = newest = 0
    for start in range(0, len(documents), batch):
        part = documents[start : start + batch]
        placed = allocator.assign(part)
        most = max(most, len(allocator._starts))
        index.ids.update(placed)
        ids += placed
        newest = max([newest, *(first_id(item.published_at) for item in part)])
        allocator.forget_below(newest)
    return ids, most


def published_over_a_day(count: int, seed: int) -> list[Any]:
    """Records published in bursts: a few hundred seconds a day, many records in each."""
    choose = random.Random(seed)
    moments = [f"2026-02-03T{hour:02d}:{minute:02d}:00" for hour in range(0, 24, 3) for minute in range(3)]
    documents = [
        document(f"CB-OFFER-KE-{number:07d}", published=choose.choice(moments)) for number in range(count)
    ]
    return sorted(documents, key=lambda item: item.published_at)


def test_a_rebuild_in_order_of_publication_gives_the_same_ids_and_remembers_one_second() -> None:
    documents = published_over_a_day(3 * BUCKETS, seed=1)
    index = Index()

    ids, most = rebuild_ids(documents, batch=500, index=index)

    wanted = [entry_id(item.published_at, item.key) for item in documents]
    assert ids == first_free(wanted, set())
    # A second's records fill at most its 4,096 places and a run spilling over into the next:
    # what is held does not grow with the number of records, and the index is never asked.
    assert most <= BUCKETS + 1
    assert index.questions == 0


def test_a_rebuild_out_of_order_asks_the_index_and_still_gives_the_same_ids() -> None:
    documents = published_over_a_day(2 * BUCKETS, seed=2)
    random.Random(3).shuffle(documents)
    index = Index()

    ids, _most = rebuild_ids(documents, batch=300, index=index)

    wanted = [entry_id(item.published_at, item.key) for item in documents]
    assert ids == first_free(wanted, set())
    assert index.questions > 0
