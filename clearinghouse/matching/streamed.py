"""Exact search over the stored vectors, read from the database a chunk at a time: what a process
answers with while its host has no up-to-date cache of a catalogue (index.matcher_for). Nothing
is built or saved, and memory stays bounded whatever the catalogue's size.

One pass over the catalogue's rows (vector, language, eligibility; never the texts) keeps the
``pool`` best eligible rows by centred cosine, merging each chunk's best with the best so far,
and the mean and spread of every row's similarity (a typical offer, as the cache's sample gives
it). The pool's full rows are then read (one query) and ranked by the engine as a cache would
rank them, with one difference: the weight of shared words (BM25's inverse document frequency)
is counted over the pool, not the whole catalogue.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clearinghouse.matching.centering import LanguageCentering
from clearinghouse.matching.countries import GLOBAL, CountryDirectory, UnknownCountryError
from clearinghouse.matching.embedders import Embedder, Vectors
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.profiles import NeedProfile, OfferProfile, Suggestion
from clearinghouse.matching.scoring import Typical
from clearinghouse.matching.sources import Side, as_catalogue_entry, profile_from_json
from clearinghouse.matching.vectors import dot, top_rows

# Rows per fetch: 2,000 × 512 float32 is 4 MB of vectors in memory at a time.
CHUNK_ROWS = 2000


def chunks(rows: Iterable[Any], size: int = CHUNK_ROWS) -> Iterator[list[Any]]:
    """Rows in lists of ``size``."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def as_matrix(blobs: Sequence[bytes | memoryview]) -> Vectors:
    """Stored vectors (float32 bytes) as one matrix."""
    joined = b"".join(bytes(blob) for blob in blobs)
    return np.frombuffer(joined, dtype="<f4").reshape(len(blobs), -1).astype(np.float32)


def catalogue_entry(side: Side, data: Mapping[str, Any]) -> OfferProfile:
    """A stored profile as a row of its catalogue."""
    profile = profile_from_json(side, data)
    return as_catalogue_entry(profile) if isinstance(profile, NeedProfile) else profile


def filed_under(entry: OfferProfile) -> str:
    """What ``StoredEmbedding.filed_under`` holds for a row of a catalogue."""
    return "\n".join(entry.countries_eligible)


@dataclass(frozen=True)
class Nearest:
    """The best eligible rows, best first, with what ranking them needs."""

    profiles: list[OfferProfile]
    vectors: Vectors
    typical: Typical | None


def nearest(
    side: Side,
    embedder: Embedder,
    centering: LanguageCentering,
    vector: NDArray[np.float32],
    admitted: Collection[str] | None,
    k: int,
    *,
    chunk_rows: int = CHUNK_ROWS,
) -> Nearest:
    """The ``k`` rows of the catalogue nearest to the centred ``vector`` among those whose
    eligibility meets the ``admitted`` labels (None: every row), read from the database in
    chunks. The vectors returned are the rows' raw ones, as stored."""
    rows = StoredEmbedding.objects.filter(side=side, embedder=embedder.name, active=True)
    stream = rows.values_list("pk", "vector", "language", "filed_under").iterator(chunk_size=chunk_rows)
    # Few distinct lists recur across a registry: decide each once.
    admits: dict[str, bool] = {}
    best_keys = np.zeros(0, dtype=np.int64)
    best_scores = np.zeros(0, dtype=np.float32)
    count, total, squares = 0, 0.0, 0.0
    for chunk in chunks(stream, chunk_rows):
        keys, blobs, languages, lists = zip(*chunk, strict=True)
        scores = dot(centering.center(as_matrix(blobs), languages), vector)
        count += len(scores)
        total += float(scores.sum(dtype=np.float64))
        squares += float(np.square(scores, dtype=np.float64).sum())
        if admitted is None:
            allowed = np.ones(len(lists), dtype=bool)
        else:
            for text in set(lists) - admits.keys():
                admits[text] = _admits(text, admitted)
            allowed = np.fromiter((admits[text] for text in lists), dtype=bool, count=len(lists))
        best_keys = np.concatenate([best_keys, np.asarray(keys, dtype=np.int64)[allowed]])
        best_scores = np.concatenate([best_scores, scores[allowed]])
        kept = top_rows(best_scores, k)
        best_keys, best_scores = best_keys[kept], best_scores[kept]
    typical = None
    if count >= 2:
        mean = total / count
        typical = Typical(mean, math.sqrt(max(squares / count - mean * mean, 0.0)))
    found = {
        key: (blob, data)
        for key, blob, data in StoredEmbedding.objects.filter(pk__in=best_keys.tolist()).values_list(
            "pk", "vector", "profile"
        )
    }
    order = [int(key) for key in best_keys if int(key) in found]
    return Nearest(
        profiles=[catalogue_entry(side, found[key][1]) for key in order],
        vectors=as_matrix([found[key][0] for key in order])
        if order
        else np.zeros((0, embedder.dimension), np.float32),
        typical=typical,
    )


def _admits(filed: str, admitted: Collection[str]) -> bool:
    """Whether a row filed under these labels (one a line) is admitted; a row filed under none
    is open to all."""
    labels = filed.split("\n") if filed else []
    return any(label in admitted for label in labels) if labels else GLOBAL in admitted


class StreamedMatcher(Matcher):
    """A matcher over a catalogue that is not in memory: each match streams the stored vectors
    (``nearest``) and ranks the pool found. Made for one request: it remembers the profiles of
    its last pool, so that ``profile`` answers for the suggestions it just made."""

    def __init__(
        self,
        side: Side,
        embedder: Embedder,
        *,
        countries: CountryDirectory,
        centering: LanguageCentering,
        size: int,
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        super().__init__(embedder, countries=countries)
        self.side = side
        self.centering = self.means = centering
        self.size = size
        self.chunk_rows = chunk_rows
        self._found: dict[str, OfferProfile] = {}

    def __len__(self) -> int:
        return self.size

    def profile(self, offer_id: str) -> OfferProfile | None:
        found = self._found.get(offer_id)
        if found is not None:
            return found
        row = StoredEmbedding.objects.filter(
            identifier=offer_id, side=self.side, embedder=self.embedder.name, active=True
        ).first()
        return None if row is None else catalogue_entry(self.side, row.profile)

    def match(
        self,
        need: NeedProfile,
        limit: int = 10,
        *,
        explain: bool = True,
        semantic_passages: bool = False,
        penalties: Mapping[str, float] | None = None,
        vector: NDArray[np.float32] | None = None,
        admitted: Collection[str] | None = None,
        typical: Typical | None = None,
    ) -> list[Suggestion]:
        """As ``Matcher.match``, over the stored vectors."""
        if not need.text.strip():
            raise MatchingError(
                f"need {need.id} has neither title nor description: there is nothing to match"
            )
        if admitted is None:
            try:
                admitted = self.countries.admitted_labels(need.country)
            except UnknownCountryError as error:
                raise MatchingError(f"{error}: the requesting country must be an ISO 3166-1 code") from None
        if vector is None:
            vector = self.need_vector(need)
        found = nearest(
            self.side,
            self.embedder,
            self.means,
            vector,
            set(admitted),
            max(self.pool, limit),
            chunk_rows=self.chunk_rows,
        )
        self._found = {profile.id: profile for profile in found.profiles}
        if not found.profiles:
            return []
        pool = Matcher(
            self.embedder,
            countries=self.countries,
            vocabularies=self.vocabularies,
            weights=self.weights,
            pool=self.pool,
        )
        pool.build(found.profiles, found.vectors, centering=self.means)
        return pool.match(
            need,
            limit,
            explain=explain,
            semantic_passages=semantic_passages,
            penalties=penalties,
            vector=vector,
            admitted=admitted,
            typical=found.typical,
        )
