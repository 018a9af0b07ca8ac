"""From a SearchDocument to what a backend stores: ids, terms and the index's own tokens.

Besides the words of a record, its text index holds tokens that no word can produce (words never
contain an underscore):

- ``f_<facet>_<value in hex>`` for each facet value, so that filters are intersections of
  posting lists inside the engine;
- ``p_<j>`` when the id's low 12 bits (its bucket, from a hash of the key) are below 2**j: the
  records with ``p_<j>`` are a uniform sample of 2**j in 4,096, so sampling any result set is
  one more term in the engine;
- ``y_<yyyy>`` and ``m_<yyyymm>``, the year and month of publication, which let PostgreSQL's GIN
  index narrow a query to recent records without reading every match;
- ``i_<identifier in hex>`` for its key and each run of the key's first parts (``text.
  identifier_tokens``), so that a query of an identifier, or of its start, finds the records.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from clearinghouse.search.documents import SearchDocument
from clearinghouse.search.text import identifier_tokens, index_terms

BUCKET_BITS = 12
BUCKETS = 1 << BUCKET_BITS
BUCKET_MASK = BUCKETS - 1


def facet_token(facet: str, value: str) -> str:
    return f"f_{facet}_{value.encode().hex()}"


def sample_token(bound: int) -> str:
    """The token of the records whose bucket (id & 4095) is below ``bound``, a power of two."""
    if bound <= 0 or bound & (bound - 1) or bound >= BUCKETS:
        raise ValueError(f"A sample bound is a power of two below {BUCKETS}, not {bound}.")
    return f"p_{bound.bit_length() - 1}"


def sample_bound(wanted: float) -> int:
    """The largest power of two at most ``wanted`` (at least 1), capped at BUCKETS."""
    if wanted >= BUCKETS:
        return BUCKETS
    return 1 << max(0, int(wanted).bit_length() - 1)


def time_meta_tokens(moment: datetime) -> list[str]:
    return [f"y_{moment.year:04d}", f"m_{moment.year:04d}{moment.month:02d}"]


def time_tokens(start: int, end: int) -> tuple[str, ...]:
    """Year and month tokens covering the ids from ``start`` to ``end``: whole years as years."""
    first, last = id_time(start), id_time(end)
    tokens: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month == 1 and year < last.year:
            tokens.append(f"y_{year:04d}")
            year += 1
            continue
        tokens.append(f"m_{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(tokens)


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def entry_id(published_at: datetime, key: str) -> int:
    """The id a record asks for: its second of publication, then its bucket. When that id is
    taken, the record has the next free one (see ``IdAllocator``)."""
    return (_seconds(published_at) << BUCKET_BITS) | (zlib.crc32(key.encode()) & BUCKET_MASK)


def first_id(moment: datetime) -> int:
    """The lowest id a record published at ``moment`` can ask for."""
    return _seconds(moment) << BUCKET_BITS


def id_time(entry: int) -> datetime:
    return datetime.fromtimestamp(entry >> BUCKET_BITS, tz=UTC)


def id_range(published_from: date | None, published_to: date | None) -> tuple[int | None, int | None]:
    """The ids of the records published on those days (UTC), both ends included."""
    low = high = None
    if published_from is not None:
        low = _seconds(datetime.combine(published_from, time.min, tzinfo=UTC)) << BUCKET_BITS
    if published_to is not None:
        end = datetime.combine(published_to + timedelta(days=1), time.min, tzinfo=UTC)
        high = (_seconds(end) << BUCKET_BITS) - 1
    return low, high


@dataclass(frozen=True)
class IndexedEntry:
    """A record ready to store."""

    id: int
    document: SearchDocument
    title_terms: tuple[str, ...]  # all titles, one language after another
    body_terms: tuple[str, ...]
    meta_tokens: tuple[str, ...]
    facet_values: str  # "facet:value" lines

    @property
    def key(self) -> str:
        return self.document.key


def document_facets(document: SearchDocument) -> dict[str, list[str]]:
    """The document's facets with its record type as one more, clean and without repeats."""
    facets: dict[str, list[str]] = {"record_type": [document.record_type]}
    for name, values in document.facets.items():
        if name == "record_type":
            continue
        facets[name] = [code for code in dict.fromkeys(clean_code(value) for value in values) if code]
    return facets


def clean_code(value: str) -> str:
    # Codes travel in "facet:value" lines: no line breaks in them.
    return " ".join(str(value).split())


def _terms(texts: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    terms: list[str] = []
    for language, text in texts:
        terms.extend(index_terms(text, language))
    return tuple(terms)


def _ordered(mapping: Mapping[str, str], first: str) -> list[tuple[str, str]]:
    """The original language first, then the translations."""
    return sorted(mapping.items(), key=lambda item: (item[0] != first, item[0]))


def build_entry(document: SearchDocument, entry: int) -> IndexedEntry:
    facets = document_facets(document)
    meta = [facet_token(name, value) for name, values in facets.items() for value in values]
    bucket = entry & BUCKET_MASK
    meta += [f"p_{power}" for power in range(bucket.bit_length(), BUCKET_BITS)]
    meta += time_meta_tokens(id_time(entry))
    meta += identifier_tokens(document.key)
    return IndexedEntry(
        id=entry,
        document=document,
        title_terms=_terms(_ordered(document.titles, document.language)),
        body_terms=_terms(_ordered(document.texts, document.language)),
        meta_tokens=tuple(meta),
        facet_values="\n".join(f"{name}:{value}" for name, values in facets.items() for value in values),
    )


class IdAllocator:
    """Gives each record the first free id at or after the one it asks for (``entry_id``), so
    records that share a second and a bucket take the next places.

    Records published in the same second (an import, a migration) ask for ids in one range of
    4,096 and then queue behind each other. Each taken id remembers how far the run of taken ids
    after it was found to go, and every lookup shortens the path it walked, so placing N records
    that share a second costs a few steps each rather than about N²/4 in all.
    """

    def __init__(self, taken: Iterable[int] = ()) -> None:
        # A taken id -> an id at or before the first free id after it.
        self._next: dict[int, int] = {entry: entry + 1 for entry in taken}

    def assign(self, documents: Sequence[SearchDocument]) -> list[int]:
        """Ids for a batch, avoiding the ids taken so far and each other."""
        return [self._take(entry_id(document.published_at, document.key)) for document in documents]

    def _take(self, wanted: int) -> int:
        path: list[int] = []
        candidate = wanted
        while candidate in self._next:
            path.append(candidate)
            candidate = self._next[candidate]
        for entry in path:
            self._next[entry] = candidate
        self._next[candidate] = candidate + 1
        return candidate


class RebuildIds:
    """``IdAllocator``'s rule for a rebuild, in memory that does not grow with the index.

    Taken ids are kept as runs (first, after last), merged when they touch: records published
    in one second fill a single run, however many there are. Once the entries placed so far are
    in the index, the runs before a second (the latest publication so far) are forgotten
    (``forget_below``): documents that come in order of publication never ask for an id there.
    One that does (out of order) is placed by asking the index which ids there are taken:
    ``taken(ids)`` once for a batch, then ``taken_between(low, high)`` while walking a run.
    """

    def __init__(
        self, taken: Callable[[list[int]], set[int]], taken_between: Callable[[int, int], set[int]]
    ) -> None:
        self._taken = taken
        self._taken_between = taken_between
        self._starts: list[int] = []
        self._ends: list[int] = []  # exclusive; runs are sorted, apart and never touching
        # Every taken id at or after this one is in the runs; before it, the index holds them.
        self._forgotten = 0

    def assign(self, documents: Sequence[SearchDocument]) -> list[int]:
        """Ids for a batch, in order: the same as ``IdAllocator`` gives."""
        wanted = [entry_id(document.published_at, document.key) for document in documents]
        earlier = [entry for entry in wanted if entry < self._forgotten]
        stored = self._taken(earlier) if earlier else set()
        ids = []
        for entry in wanted:
            candidate = self._after_runs(entry)
            if candidate < self._forgotten and (candidate != entry or entry in stored):
                candidate = self._free_before_forgotten(candidate)
            self._add(candidate)
            ids.append(candidate)
        return ids

    def forget_below(self, floor: int) -> None:
        """Forget the runs that end before ``floor``: their entries are in the index."""
        done = bisect_right(self._ends, floor)
        del self._starts[:done], self._ends[:done]
        self._forgotten = max(self._forgotten, floor)

    def _after_runs(self, candidate: int) -> int:
        """``candidate``, or the end of the run it falls in."""
        index = bisect_right(self._starts, candidate) - 1
        if index >= 0 and self._ends[index] > candidate:
            return self._ends[index]
        return candidate

    def _free_before_forgotten(self, candidate: int) -> int:
        while candidate < self._forgotten:
            high = candidate + BUCKETS
            stored = self._taken_between(candidate, high)
            while candidate < high:
                if candidate in stored:
                    candidate += 1
                    continue
                moved = self._after_runs(candidate)
                if moved == candidate:
                    return candidate
                candidate = moved
        return self._after_runs(candidate)

    def _add(self, entry: int) -> None:
        index = bisect_right(self._starts, entry) - 1
        joins_before = index >= 0 and self._ends[index] == entry
        joins_after = index + 1 < len(self._starts) and self._starts[index + 1] == entry + 1
        if joins_before and joins_after:
            self._ends[index] = self._ends[index + 1]
            del self._starts[index + 1], self._ends[index + 1]
        elif joins_before:
            self._ends[index] = entry + 1
        elif joins_after:
            self._starts[index + 1] = entry
        else:
            self._starts.insert(index + 1, entry)
            self._ends.insert(index + 1, entry + 1)
