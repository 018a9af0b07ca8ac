"""Measuring a matcher against relevance judgements.

Definitions (``judged`` maps offer ids to relevance 1 or 2 for one need; ``ranked`` is the
matcher's list for that need, best first, eligible offers only):

- recall@10: share of the offers judged 1 or 2 that are in the first ten;
- reciprocal rank: 1 / rank of the first offer judged 2 (0 when none of them is ranked);
- nDCG@10: DCG of the first ten with gains 2 and 1 and discount log2(rank + 1), divided by the
  DCG of the ideal order of the judged offers.

A need with no offer judged 1 or 2 has nothing to find: it is ranked (and written out) but left
out of every average; a need with offers judged 1 but none judged 2 is left out of MRR only.
Averages are over needs (each need counts once, whatever its number of relevant offers).
The cross-lingual recall@10 counts, for each need, only its relevant offers written in another
language than the need, and averages over the needs that have some.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean

import numpy as np

from clearinghouse.matching.dataset import Dataset
from clearinghouse.matching.embedders import Embedder, Vectors
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.scoring import Weights

CUTOFF = 10


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float | None:
    relevant = [offer for offer, relevance in judged.items() if relevance > 0]
    if not relevant:
        return None
    top = set(ranked[:k])
    return sum(offer in top for offer in relevant) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int]) -> float | None:
    if not any(relevance == 2 for relevance in judged.values()):
        return None
    for position, offer in enumerate(ranked, start=1):
        if judged.get(offer) == 2:
            return 1.0 / position
    return 0.0


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float | None:
    ideal = sorted((relevance for relevance in judged.values() if relevance > 0), reverse=True)[:k]
    if not ideal:
        return None
    dcg = sum(
        judged.get(offer, 0) / math.log2(position + 1) for position, offer in enumerate(ranked[:k], start=1)
    )
    best = sum(gain / math.log2(position + 1) for position, gain in enumerate(ideal, start=1))
    return dcg / best


@dataclass(frozen=True)
class Scores:
    recall: float
    mrr: float
    ndcg: float
    needs: int

    def line(self) -> str:
        return f"recall@10={self.recall:.3f} mrr={self.mrr:.3f} ndcg@10={self.ndcg:.3f}"


def _mean(values: Sequence[float | None]) -> float:
    present = [value for value in values if value is not None]
    return fmean(present) if present else 0.0


def score(rankings: Mapping[str, Sequence[str]], judgements: Mapping[str, Mapping[str, int]]) -> Scores:
    """The three averages over the ranked needs that have relevant offers."""
    recalls, ranks, gains = [], [], []
    for need, ranked in rankings.items():
        judged = judgements.get(need, {})
        recalls.append(recall_at(ranked, judged))
        ranks.append(reciprocal_rank(ranked, judged))
        gains.append(ndcg_at(ranked, judged))
    return Scores(_mean(recalls), _mean(ranks), _mean(gains), len(rankings))


@dataclass
class Report:
    rankings: dict[str, list[str]]
    overall: Scores
    by_split: dict[str, Scores]
    cross_lingual_recall: float
    cross_lingual_pairs: int
    same_language_recall: float
    same_language_pairs: int
    offers: int
    seconds: dict[str, float] = field(default_factory=dict)


def _by_language(dataset: Dataset, rankings: Mapping[str, Sequence[str]], cross: bool) -> tuple[float, int]:
    languages = {offer.id: offer.language for offer in dataset.offers}
    need_languages = {need.id: need.language for need in dataset.needs}
    recalls, pairs = [], 0
    for need, ranked in rankings.items():
        judged = {
            offer: relevance
            for offer, relevance in dataset.judgements.get(need, {}).items()
            if (languages[offer] != need_languages[need]) == cross
        }
        pairs += len(judged)
        recalls.append(recall_at(ranked, judged))
    return _mean(recalls), pairs


def evaluate(
    dataset: Dataset,
    embedder: Embedder,
    *,
    split: str | None = None,
    weights: Weights | None = None,
    matcher_options: Mapping[str, object] | None = None,
) -> Report:
    """Index the dataset's offers, rank them for each need of ``split`` (all when None) and score."""
    started = time.perf_counter()
    options = dict(matcher_options or {})
    options.setdefault("pool", max(len(dataset.offers), 1))
    matcher = Matcher(embedder, weights=weights, **options)  # type: ignore[arg-type]
    needs = dataset.needs_of(split)
    # Every record of the dataset informs the language means, as every record of the registries
    # will in production; no judgement is used.
    need_vectors: Vectors = matcher.embed([need.text for need in dataset.needs])
    embedded = time.perf_counter()
    matcher.build(dataset.offers, context=(need_vectors, [need.language for need in dataset.needs]))
    built = time.perf_counter()
    centring = matcher.centering
    if centring is None:
        raise MatchingError("the dataset has no offers to match")
    rows = {need.id: row for row, need in enumerate(dataset.needs)}
    rankings = {}
    for need in needs:
        vector = centring.center(need_vectors[rows[need.id]][np.newaxis, :], [need.language])[0]
        rankings[need.id] = matcher.rank(need, vector=vector)
    ranked = time.perf_counter()
    splits = sorted({dataset.splits[need.id] for need in needs})
    by_split = {
        name: score(
            {need: rankings[need] for need in rankings if dataset.splits[need] == name}, dataset.judgements
        )
        for name in splits
    }
    cross, cross_pairs = _by_language(dataset, rankings, cross=True)
    same, same_pairs = _by_language(dataset, rankings, cross=False)
    return Report(
        rankings=rankings,
        overall=score(rankings, dataset.judgements),
        by_split=by_split,
        cross_lingual_recall=cross,
        cross_lingual_pairs=cross_pairs,
        same_language_recall=same,
        same_language_pairs=same_pairs,
        offers=len(dataset.offers),
        seconds={
            "embed_needs": embedded - started,
            "build": built - embedded,
            "rank": ranked - built,
        },
    )
