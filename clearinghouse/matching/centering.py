"""Language centring: the step that makes one embedding space serve six languages.

A multilingual encoder puts texts of one language closer to each other than to their translations:
measured on the development set, an Arabic need was on average nearer any Arabic offer than the
Spanish offer that answers it. Subtracting from each vector the mean vector of its language
removes most of that pull (Libovický, Rosa and Fraser, "On the language neutrality of pre-trained
multilingual representations", 2020). On the development set, embeddings alone, it raised
recall@10 from 0.65 to 0.93 with multilingual-e5-small and from 0.94 to 0.97 with USE v3.

The mean of a language is estimated from the records themselves (needs and offers, no judgement
of relevance needed), shrunk towards a prior while a language has few records: the mean of all
records plus the language's offset measured on parallel text (the vocabulary labels, the same
terms in the six languages). With ten records of a language the shrunk estimate keeps most of the
gain where the raw mean of so few records would lose it (measured with
multilingual-e5-small: recall@10 0.90 against 0.87).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from clearinghouse.matching.embedders import Embedder, Vectors, embedding_text, normalise_rows
from clearinghouse.matching.vocabulary import Vocabularies

# Weight of the prior, in records: the estimate is (sum of the language's vectors + SHRINKAGE ×
# prior) / (count + SHRINKAGE).
SHRINKAGE = 10.0


@dataclass(frozen=True)
class LanguageCentering:
    """The mean vector subtracted per language (``means``) and for any other language
    (``fallback``). Frozen with an index: vectors centred with other means are not comparable."""

    means: Mapping[str, np.ndarray]
    fallback: np.ndarray

    def center(self, vectors: Vectors, languages: Sequence[str]) -> Vectors:
        """Each row minus its language's mean, scaled to unit length again."""
        if len(vectors) == 0:
            return np.asarray(vectors, dtype=np.float32)
        codes, rows = np.unique(np.asarray(languages), return_inverse=True)
        table = np.stack([self.means.get(str(code), self.fallback) for code in codes])
        return normalise_rows(np.asarray(vectors, dtype=np.float32) - table[rows.reshape(-1)])

    def uncenter(self, centred: Vectors, languages: Sequence[str]) -> Vectors:
        """The raw vectors ``center`` made these rows from, given that raw vectors are unit length
        (every Embedder's are): a caller that holds only centred rows can centre them again
        with other means. Row ``u`` of language ``l`` came from ``m + s·u`` with ``m`` the mean of
        ``l`` and ``s > 0`` the root of ``|m + s·u| = 1``."""
        if len(centred) == 0:
            return np.asarray(centred, dtype=np.float32)
        codes, rows = np.unique(np.asarray(languages), return_inverse=True)
        table = np.stack([self.means.get(str(code), self.fallback) for code in codes])
        means = table[rows.reshape(-1)].astype(np.float64)
        units = np.asarray(centred, dtype=np.float64)
        along = np.einsum("ij,ij->i", units, means)
        # |m| < 1 for a mean of unit vectors, so the root is real and positive.
        lengths = -along + np.sqrt(np.maximum(along * along + 1.0 - np.einsum("ij,ij->i", means, means), 0.0))
        raw: Vectors = (means + lengths[:, None] * units).astype(np.float32)
        return raw

    def to_arrays(self) -> dict[str, np.ndarray]:
        """For saving with ``numpy.savez``."""
        return {"fallback": self.fallback, **{f"mean_{code}": mean for code, mean in self.means.items()}}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LanguageCentering:
        means = {
            name.removeprefix("mean_"): np.asarray(value)
            for name, value in arrays.items()
            if name.startswith("mean_")
        }
        return cls(means=means, fallback=np.asarray(arrays["fallback"]))

    def to_bytes(self) -> bytes:
        """As a numpy archive, for the database."""
        stream = io.BytesIO()
        arrays: dict[str, Any] = self.to_arrays()
        np.savez(stream, **arrays)
        return stream.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LanguageCentering:
        with np.load(io.BytesIO(data)) as arrays:
            return cls.from_arrays(dict(arrays))


def language_offsets(embedder: Embedder, vocabularies: Vocabularies) -> dict[str, np.ndarray]:
    """Each language's mean over the parallel vocabulary labels minus the mean of all six: what
    being written in that language adds to a vector, whatever the text says."""
    texts = vocabularies.parallel_texts()
    means = {
        language: embedder.embed_queries([embedding_text(label) for label in labels]).mean(axis=0)
        for language, labels in texts.items()
        if labels
    }
    if not means:
        return {}
    overall = np.mean(list(means.values()), axis=0)
    return {language: (mean - overall).astype(np.float32) for language, mean in means.items()}


class LanguageSums:
    """The sums ``estimate`` needs (all vectors, and each language's), gathered a chunk at a time
    so that the means of a large registry are estimated without holding its vectors."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self.count = 0
        self.total = np.zeros(dimension, dtype=np.float64)
        self.by_language: dict[str, tuple[np.ndarray, int]] = {}

    def add(self, vectors: Vectors, languages: Sequence[str]) -> None:
        if len(vectors) == 0:
            return
        vectors = np.asarray(vectors, dtype=np.float64)
        self.count += len(vectors)
        self.total += vectors.sum(axis=0)
        codes = np.asarray(languages)
        for language in set(languages):
            rows = vectors[codes == language]
            total, count = self.by_language.get(language, (np.zeros(self.dimension), 0))
            self.by_language[language] = (total + rows.sum(axis=0), count + len(rows))

    def centering(self, offsets: Mapping[str, np.ndarray], shrinkage: float = SHRINKAGE) -> LanguageCentering:
        """Shrunk per-language means; see the module's docstring."""
        if self.count == 0:
            zero = np.zeros(self.dimension, dtype=np.float32)
            return LanguageCentering(
                means={code: offset.copy() for code, offset in offsets.items()}, fallback=zero
            )
        overall = self.total / self.count
        means: dict[str, np.ndarray] = {}
        for language in sorted(set(self.by_language) | set(offsets)):
            total, count = self.by_language.get(language, (np.zeros(self.dimension), 0))
            prior = overall + offsets.get(language, 0.0)
            means[language] = ((total + shrinkage * prior) / (count + shrinkage)).astype(np.float32)
        return LanguageCentering(means=means, fallback=overall.astype(np.float32))


def estimate(
    vectors: Vectors,
    languages: Sequence[str],
    offsets: Mapping[str, np.ndarray],
    shrinkage: float = SHRINKAGE,
) -> LanguageCentering:
    """Shrunk per-language means of raw (uncentred) vectors; see the module's docstring."""
    sums = LanguageSums(vectors.shape[1] if vectors.ndim == 2 else 0)
    sums.add(vectors, languages)
    return sums.centering(offsets, shrinkage)
