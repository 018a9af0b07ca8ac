"""Records published in the same second (an import, a migration) all get ids, each the first
free one at or after the id it asks for, and placing them stays cheap however many there are
(the last test through the index)."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.entries import BUCKETS, IdAllocator, entry_id
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
