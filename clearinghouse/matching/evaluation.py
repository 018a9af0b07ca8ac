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

Two ways of asking whether the matcher reads the text rather than the tags: ``without(dataset,
tags)`` empties tags (GBF targets, subjects, types of support) on every need and offer, as people
who leave them out or get them wrong do; ``evaluate(..., ranking=EMBEDDING)`` ranks by the
centred embedding alone, behind the same eligibility and a filter on the types of support (the
baseline the scoring must beat).
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from statistics import fmean
from typing import Literal

import numpy as np

from clearinghouse.matching.bands import Thresholds
from clearinghouse.matching.dataset import Dataset
from clearinghouse.matching.embedders import Embedder, Vectors
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.scoring import Weights

CUTOFF = 10
# The tags a dataset's needs and offers carry, which ``without`` can take away.
TAGS = ("targets", "subjects", "support_types")
Ranking = Literal["matcher", "embedding"]
MATCHER: Ranking = "matcher"
EMBEDDING: Ranking = "embedding"


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
    # The score of each ranked offer, aligned with ``rankings``.
    scores: dict[str, list[float]]
    overall: Scores
    by_split: dict[str, Scores]
    by_group: dict[str, Scores]
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


def without(dataset: Dataset, tags: Collection[str]) -> Dataset:
    """The dataset with these tags (of ``TAGS``) emptied on every need and offer; the texts,
    eligibility and judgements are kept."""
    unknown = set(tags) - set(TAGS)
    if unknown:
        raise ValueError(f"unknown tags {', '.join(sorted(unknown))} (known: {', '.join(TAGS)})")

    def kept(tag: str, codes: tuple[str, ...]) -> tuple[str, ...]:
        return () if tag in tags else codes

    return Dataset(
        needs=[
            replace(
                need,
                targets=kept("targets", need.targets),
                subjects=kept("subjects", need.subjects),
                support_types=kept("support_types", need.support_types),
            )
            for need in dataset.needs
        ],
        offers=[
            replace(
                offer,
                targets=kept("targets", offer.targets),
                subjects=kept("subjects", offer.subjects),
                support_types=kept("support_types", offer.support_types),
            )
            for offer in dataset.offers
        ],
        judgements=dataset.judgements,
        splits=dataset.splits,
        groups=dataset.groups,
    )


def evaluate(
    dataset: Dataset,
    embedder: Embedder,
    *,
    split: str | None = None,
    weights: Weights | None = None,
    matcher_options: Mapping[str, object] | None = None,
    ranking: Ranking = MATCHER,
) -> Report:
    """Index the dataset's offers, rank them for each need of ``split`` (all when None) and score.
    ``ranking`` is the matcher's (``MATCHER``) or the embedding's alone (``EMBEDDING``: nearest
    first among the eligible offers of a type of support the need asks for)."""
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
    rankings: dict[str, list[str]] = {}
    scores: dict[str, list[float]] = {}
    for need in needs:
        vector = centring.center(need_vectors[rows[need.id]][np.newaxis, :], [need.language])[0]
        if ranking == EMBEDDING:
            # Nearest first, without a score of the matcher's scale: no band applies.
            rankings[need.id] = matcher.embedding_baseline(need, vector=vector)
            scores[need.id] = []
        else:
            suggestions = matcher.match(need, matcher.pool, explain=False, vector=vector)
            rankings[need.id] = [suggestion.offer_id for suggestion in suggestions]
            scores[need.id] = [suggestion.score for suggestion in suggestions]
    ranked = time.perf_counter()
    splits = sorted({dataset.splits[need.id] for need in needs})
    by_split = {
        name: score(
            {need: rankings[need] for need in rankings if dataset.splits[need] == name}, dataset.judgements
        )
        for name in splits
    }
    by_group = {
        name: score(
            {need: rankings[need] for need in rankings if dataset.groups.get(need) == name},
            dataset.judgements,
        )
        for name in sorted({dataset.groups[need.id] for need in needs if need.id in dataset.groups})
    }
    cross, cross_pairs = _by_language(dataset, rankings, cross=True)
    same, same_pairs = _by_language(dataset, rankings, cross=False)
    return Report(
        rankings=rankings,
        scores=scores,
        overall=score(rankings, dataset.judgements),
        by_split=by_split,
        by_group=by_group,
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


# What the bands promise (bands.py): a good suggestion is right at least this often, a fair one
# this often among those below the good band.
GOOD_PRECISION = 0.9
FAIR_PRECISION = 0.5


@dataclass(frozen=True)
class BandFigures:
    """How one band of scores did: ``shown`` suggestions among the first ten of the needs,
    ``right`` of them judged 1 or 2, ``answers`` judged 2; ``relevant`` is every offer judged 1
    or 2 for those needs (ranked or not), for recall."""

    band: str
    lowest: float | None
    shown: int
    right: int
    answers: int
    relevant: int

    @property
    def precision(self) -> float:
        return self.right / self.shown if self.shown else 0.0

    @property
    def answer_precision(self) -> float:
        return self.answers / self.shown if self.shown else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.relevant if self.relevant else 0.0

    def line(self) -> str:
        lowest = "-" if self.lowest is None else f"{self.lowest:.2f}"
        return (
            f"band={self.band} from={lowest} shown={self.shown} precision={self.precision:.3f} "
            f"precision@2={self.answer_precision:.3f} recall={self.recall:.3f}"
        )


@dataclass(frozen=True)
class Calibration:
    thresholds: Thresholds
    bands: tuple[BandFigures, ...]
    # Needs with at least one good suggestion, of the needs ranked.
    needs_with_good: int
    needs: int


def _shown(
    report: Report, judgements: Mapping[str, Mapping[str, int]], needs: Collection[str] | None
) -> list[tuple[float, int]]:
    """(score, relevance) of the first ten suggestions of each need, best first."""
    pairs = []
    for need, ranked in report.rankings.items():
        if needs is None or need in needs:
            judged = judgements.get(need, {})
            pairs += [
                (score, judged.get(offer, 0))
                for offer, score in zip(ranked[:CUTOFF], report.scores[need][:CUTOFF], strict=True)
            ]
    return sorted(pairs, key=lambda pair: -pair[0])


def _lowest(pairs: Sequence[tuple[float, int]], target: float) -> float | None:
    """The lowest score above which (inclusive) at least ``target`` of ``pairs`` (best first)
    are right; None when no score is. Ties are taken or left together."""
    found, right = None, 0
    for position, (value, relevance) in enumerate(pairs):
        right += relevance > 0
        below = pairs[position + 1][0] if position + 1 < len(pairs) else None
        if below != value and right / (position + 1) >= target:
            # A round figure between this score and the next, when one fits.
            rounded = math.floor(value * 100) / 100
            found = rounded if below is None or rounded > below else value
    return found


def band_figures(
    report: Report,
    judgements: Mapping[str, Mapping[str, int]],
    thresholds: Thresholds,
    needs: Collection[str] | None = None,
) -> Calibration:
    """How the bands of ``thresholds`` do on the first ten suggestions of each ranked need (of
    ``needs``, all when None)."""
    pairs = _shown(report, judgements, needs)
    ranked = [need for need in report.rankings if needs is None or need in needs]
    relevant = sum(1 for need in ranked for relevance in judgements.get(need, {}).values() if relevance > 0)
    figures = []
    for name, lowest in (("good", thresholds.good), ("fair", thresholds.fair), ("weak", None)):
        inside = [relevance for value, relevance in pairs if thresholds.band(value) == name]
        figures.append(
            BandFigures(
                band=name,
                lowest=lowest,
                shown=len(inside),
                right=sum(relevance > 0 for relevance in inside),
                answers=sum(relevance == 2 for relevance in inside),
                relevant=relevant,
            )
        )
    with_good = sum(
        1 for need in ranked if report.scores[need] and thresholds.band(report.scores[need][0]) == "good"
    )
    return Calibration(thresholds, tuple(figures), with_good, len(ranked))


def calibrate(
    report: Report,
    judgements: Mapping[str, Mapping[str, int]],
    needs: Collection[str] | None = None,
) -> Calibration:
    """The thresholds of the bands measured on a ranking: the lowest score from which the
    suggestions shown (the first ten of each need) are right at least GOOD_PRECISION of the
    time, then the lowest from which those below it are right at least FAIR_PRECISION of the
    time. Raises MatchingError when no score reaches the good band's precision."""
    pairs = _shown(report, judgements, needs)
    good = _lowest(pairs, GOOD_PRECISION)
    if good is None:
        raise MatchingError(f"no score keeps {GOOD_PRECISION:.0%} of the suggestions above it right")
    fair = _lowest([pair for pair in pairs if pair[0] < good], FAIR_PRECISION)
    return band_figures(report, judgements, Thresholds(good=good, fair=good if fair is None else fair), needs)
