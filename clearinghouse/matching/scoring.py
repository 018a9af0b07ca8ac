"""How the evidence for one offer becomes its score.

Eligibility is not scored: an offer that does not admit the requesting country is never suggested.
Among the rest, the score is a weighted sum of a few features, each on a scale a person can read:

- ``semantic``: how far the embedding similarity of need and offer stands above that of a typical
  offer, in standard deviations (the similarity of a random offer to this need, measured on a sample
  of the index). Raw similarities of right and wrong pairs are close and shift from one need to
  the next; their rank within the registry does not.
- ``lexical``: share of the need's word weight found in the offer (see ``lexical``), 0 to 1.
- ``targets`` / ``subjects``: share of the need's GBF targets (subjects) the offer names too, 0 to
  1; 0 when either side names none (no evidence either way).
- ``support``: 1 when the offer gives a type of support the need asks for, -1 when both name types
  and none is shared, 0 when either names none.
- ``penalty``: what feedback subtracts for this pair ("not relevant"), 0 without feedback.

The weights are few on purpose (five numbers, set before measuring and checked against a grid on
the development split only; see docs/matching.md): more would fit the development set rather
than the task. Shared words weigh less than the meaning: the words a need shares with an offer
in its own language are mostly the words of its topic, which an offer for another audience or
of another kind shares too, while a right answer in another language shares almost none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Weights:
    semantic: float = 1.0
    # 1.5 until measured on needs with near-miss offers: words then ranked a wrong offer in the
    # need's language above the right one in another (docs/matching.md, "Evaluation that reads
    # the text").
    lexical: float = 0.5
    targets: float = 1.5
    subjects: float = 0.5
    support: float = 0.5
    # What one "not relevant" from a coordinator subtracts: more than any sum of the other
    # features can add, so the offer leaves the top of this need's list but stays reachable.
    not_relevant: float = 6.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Features:
    """The features of the candidate offers of one need, one array each, aligned by candidate."""

    semantic: FloatArray
    lexical: FloatArray
    targets: FloatArray
    subjects: FloatArray
    support: FloatArray
    penalty: FloatArray

    def row(self, index: int) -> dict[str, float]:
        return {name: float(getattr(self, name)[index]) for name in FEATURE_NAMES}


FEATURE_NAMES = ("semantic", "lexical", "targets", "subjects", "support", "penalty")


def combine(features: Features, weights: Weights) -> FloatArray:
    """The score of every candidate."""
    return (
        weights.semantic * features.semantic
        + weights.lexical * features.lexical
        + weights.targets * features.targets
        + weights.subjects * features.subjects
        + weights.support * features.support
        - features.penalty
    )


@dataclass(frozen=True)
class Typical:
    """The mean and spread of a typical offer's similarity to one need."""

    mean: float
    spread: float

    @classmethod
    def of(cls, reference: NDArray[np.floating]) -> Typical | None:
        """From the similarities of a sample of offers; None with fewer than two."""
        if len(reference) < 2:
            return None
        return cls(float(np.mean(reference)), float(np.std(reference)))


def standardise(similarities: NDArray[np.floating], typical: Typical | None) -> FloatArray:
    """Similarities in standard deviations above a typical offer's (as they are without one)."""
    values: FloatArray = np.asarray(similarities, dtype=np.float64)
    if typical is None:
        return values
    result: FloatArray = (values - typical.mean) / (typical.spread if typical.spread > 1e-9 else 1.0)
    return result


def popcount(values: NDArray[np.uint64]) -> NDArray[np.int64]:
    return np.bitwise_count(values).astype(np.int64)


def share_of(need_mask: int, offer_masks: NDArray[np.uint64]) -> FloatArray:
    """Share of the need's codes that each offer has; 0 where either side has none."""
    if need_mask == 0:
        return np.zeros(len(offer_masks))
    shared = popcount(offer_masks & np.uint64(need_mask))
    share = shared / bin(need_mask).count("1")
    return np.where(offer_masks == 0, 0.0, share)


def support_fit(need_mask: int, offer_masks: NDArray[np.uint64]) -> FloatArray:
    """1 when some type is shared, -1 when both sides name types and none is shared, else 0."""
    if need_mask == 0:
        return np.zeros(len(offer_masks))
    shared = (offer_masks & np.uint64(need_mask)) != 0
    return np.where(shared, 1.0, np.where(offer_masks == 0, 0.0, -1.0))
