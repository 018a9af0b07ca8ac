"""Vector indexes: exact search with numpy, approximate search (HNSW, hnswlib) for large registries.

Rows are numbered in the order they were added; the caller maps rows to records and passes a mask
of the rows it allows (eligible, not withdrawn). Vectors are unit length, so the inner product is
the cosine. Measured on two cores (docs/matching.md): exact search over 100,000 × 384 vectors
takes a few milliseconds; over a million it takes too long, which is when HNSW takes over.

hnswlib is installed for production only (requirements/production.txt): without it a catalogue
above the exact limit is searched exactly, slower but with the same answers or better, and a
log line says so.
"""

from __future__ import annotations

import json
import logging
import math
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]  # no type information published

from clearinghouse.matching.embedders import Vectors

logger = logging.getLogger(__name__)

Rows = NDArray[np.int64]
Mask = NDArray[np.bool_]
# When few rows are allowed, HNSW would have to visit most of the graph to find them: read them
# exactly instead.
EXACT_SUBSET_LIMIT = 20_000
# Neighbours fetched from the graph at most before falling back to exact search.
MAX_FETCH = 4_000
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 100


class VectorIndex(Protocol):
    """Nearest vectors by inner product among the allowed rows."""

    kind: str

    def __len__(self) -> int: ...

    def add(self, vectors: Vectors) -> None: ...

    def search(
        self, query: NDArray[np.float32], k: int, allowed: Mask | None = None
    ) -> tuple[Rows, NDArray[np.float32]]:
        """The ``k`` best allowed rows, best first, with their scores."""
        ...

    def scores(self, query: NDArray[np.float32], rows: Rows) -> NDArray[np.float32]:
        """Exact scores of the given rows."""
        ...

    def rows(self, rows: Rows) -> Vectors:
        """The vectors of the given rows."""
        ...

    def save(self, directory: Path) -> None: ...


def top_rows(scores: NDArray[np.float32], k: int) -> Rows:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return candidates[np.argsort(-scores[candidates], kind="stable")].astype(np.int64)


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def dot(matrix: NDArray[np.float32], vector: NDArray[np.float32]) -> NDArray[np.float32]:
    """Matrix times vector by BLAS on one thread: on a busy two-core machine multithreaded BLAS
    waits for its threads (measured at 100,000 rows: median 15 ms against 8 ms for einsum, and a
    worse tail), and one thread reads the rows faster than einsum (100,000 × 512: 16 ms against
    23 ms, docs/matching.md)."""
    with _blas().limit(limits=1, user_api="blas"):
        result: NDArray[np.float32] = np.asarray(matrix, dtype=np.float32) @ vector.astype(
            np.float32, copy=False
        )
    return result


class ExactIndex:
    """Every vector in one float32 matrix; a search is one matrix-vector product."""

    kind = "exact"

    def __init__(self, dimension: int, vectors: Vectors | None = None) -> None:
        self.dimension = dimension
        self._vectors: Vectors = (
            np.asarray(vectors, dtype=np.float32)
            if vectors is not None
            else np.zeros((0, dimension), np.float32)
        )

    def __len__(self) -> int:
        return len(self._vectors)

    @property
    def vectors(self) -> Vectors:
        return self._vectors

    def add(self, vectors: Vectors) -> None:
        self._vectors = np.vstack([self._vectors, np.asarray(vectors, dtype=np.float32)])

    def search(
        self, query: NDArray[np.float32], k: int, allowed: Mask | None = None
    ) -> tuple[Rows, NDArray[np.float32]]:
        scores = dot(self._vectors, query)
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf).astype(np.float32)
        best = top_rows(scores, k)
        best = best[np.isfinite(scores[best])]
        return best, scores[best]

    def scores(self, query: NDArray[np.float32], rows: Rows) -> NDArray[np.float32]:
        return dot(self._vectors[rows], query)

    def rows(self, rows: Rows) -> Vectors:
        return np.asarray(self._vectors[rows], dtype=np.float32)

    def save(self, directory: Path) -> None:
        np.save(directory / "vectors.npy", self._vectors)
        (directory / "vector-index.json").write_text(
            json.dumps({"kind": self.kind, "dimension": self.dimension})
        )

    @classmethod
    def load(cls, directory: Path) -> ExactIndex:
        meta = json.loads((directory / "vector-index.json").read_text())
        return cls(meta["dimension"], np.load(directory / "vectors.npy", mmap_mode="r"))


class HnswIndex:
    """A hierarchical navigable small-world graph (hnswlib) over the vectors, which are also kept
    (memory-mapped once saved) for exact scores and for searches that allow few rows."""

    kind = "hnsw"

    def __init__(self, dimension: int, vectors: Vectors | None = None, graph: Any = None) -> None:
        import hnswlib  # type: ignore[import-untyped]  # no type information published

        self.dimension = dimension
        self._exact = ExactIndex(dimension, vectors)
        self._graph: Any
        if graph is not None:
            self._graph = graph
        else:
            self._graph = hnswlib.Index(space="ip", dim=dimension)
            self._graph.init_index(
                max_elements=max(len(self._exact), 1024), ef_construction=HNSW_EF_CONSTRUCTION, M=HNSW_M
            )
            if len(self._exact):
                self._graph.add_items(np.asarray(self._exact.vectors), np.arange(len(self._exact)))

    def __len__(self) -> int:
        return len(self._exact)

    def add(self, vectors: Vectors) -> None:
        start = len(self._exact)
        self._exact.add(vectors)
        needed = len(self._exact)
        if needed > self._graph.get_max_elements():
            self._graph.resize_index(max(needed, 2 * self._graph.get_max_elements()))
        self._graph.add_items(np.asarray(vectors, dtype=np.float32), np.arange(start, needed))

    def search(
        self, query: NDArray[np.float32], k: int, allowed: Mask | None = None
    ) -> tuple[Rows, NDArray[np.float32]]:
        total = len(self._exact)
        if total == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        admitted = total if allowed is None else int(allowed.sum())
        if admitted <= EXACT_SUBSET_LIMIT:
            return self._exact.search(query, k, allowed)
        # Fetch enough neighbours that about k of them are allowed; widen if not.
        fetch = min(total, MAX_FETCH, math.ceil(k * total / admitted * 1.5) + 10)
        while True:
            self._graph.set_ef(max(fetch, 64))
            labels, distances = self._graph.knn_query(query.reshape(1, -1), k=fetch)
            rows = labels[0].astype(np.int64)
            scores = (1.0 - distances[0]).astype(np.float32)
            if allowed is not None:
                keep = allowed[rows]
                rows, scores = rows[keep], scores[keep]
            if len(rows) >= k or fetch >= total:
                return rows[:k], scores[:k]
            if fetch >= MAX_FETCH:
                return self._exact.search(query, k, allowed)
            fetch = min(total, fetch * 2)

    def scores(self, query: NDArray[np.float32], rows: Rows) -> NDArray[np.float32]:
        return self._exact.scores(query, rows)

    def rows(self, rows: Rows) -> Vectors:
        return self._exact.rows(rows)

    def save(self, directory: Path) -> None:
        self._exact.save(directory)
        self._graph.save_index(str(directory / "hnsw.bin"))
        (directory / "vector-index.json").write_text(
            json.dumps({"kind": self.kind, "dimension": self.dimension})
        )

    @classmethod
    def load(cls, directory: Path) -> HnswIndex:
        import hnswlib

        meta = json.loads((directory / "vector-index.json").read_text())
        vectors = np.load(directory / "vectors.npy", mmap_mode="r")
        graph = hnswlib.Index(space="ip", dim=meta["dimension"])
        graph.load_index(str(directory / "hnsw.bin"), max_elements=max(len(vectors), 1024))
        return cls(meta["dimension"], vectors, graph)


def hnsw_available() -> bool:
    """Whether hnswlib is installed (requirements/production.txt)."""
    try:
        import hnswlib  # noqa: F401
    except ImportError:
        return False
    return True


def _exact_instead(count: int) -> None:
    logger.warning(
        "hnswlib is not installed: %d vectors are searched exactly with numpy instead of an HNSW "
        "index (slower on large catalogues; pip install -r requirements/production.txt)",
        count,
    )


def build_index(dimension: int, vectors: Vectors, exact_limit: int) -> VectorIndex:
    """Exact up to ``exact_limit`` vectors, HNSW beyond (exact when hnswlib is not installed)."""
    if len(vectors) <= exact_limit:
        return ExactIndex(dimension, vectors)
    if not hnsw_available():
        _exact_instead(len(vectors))
        return ExactIndex(dimension, vectors)
    return HnswIndex(dimension, vectors)


def load_index(directory: Path) -> VectorIndex:
    """The saved index; an HNSW index saved where hnswlib was installed is read back as an exact
    one from its vectors where it is not."""
    kind = json.loads((directory / "vector-index.json").read_text())["kind"]
    if kind != HnswIndex.kind:
        return ExactIndex.load(directory)
    if not hnsw_available():
        index = ExactIndex.load(directory)
        _exact_instead(len(index))
        return index
    return HnswIndex.load(directory)
