"""The three measures on rankings small enough to check by hand."""

from __future__ import annotations

import math

import pytest

from clearinghouse.matching.evaluation import ndcg_at, recall_at, reciprocal_rank, score


def test_recall_at_10_counts_offers_judged_1_or_2_among_the_first_ten() -> None:
    ranked = [f"O{number}" for number in range(1, 21)]
    judged = {"O3": 2, "O10": 1, "O11": 2, "O40": 1}
    assert recall_at(ranked, judged) == pytest.approx(2 / 4)


def test_reciprocal_rank_looks_for_the_first_offer_judged_2_only() -> None:
    # O1 answers only in part: it does not count as the first right answer.
    assert reciprocal_rank(["O1", "O2", "O3"], {"O1": 1, "O3": 2}) == pytest.approx(1 / 3)


def test_reciprocal_rank_is_zero_when_no_offer_judged_2_is_ranked() -> None:
    assert reciprocal_rank(["O1", "O2"], {"O9": 2}) == 0.0


def test_ndcg_uses_gains_2_and_1_against_the_ideal_order() -> None:
    ranked = ["O1", "O2", "O3"]
    judged = {"O2": 2, "O3": 1}
    dcg = 2 / math.log2(3) + 1 / math.log2(4)
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at(ranked, judged) == pytest.approx(dcg / ideal)
    assert ndcg_at(["O2", "O3"], judged) == pytest.approx(1.0)


def test_needs_without_relevant_offers_are_left_out_of_the_averages() -> None:
    rankings = {"N1": ["O1", "O2"], "N2": ["O2"], "N3": ["O5"]}
    judgements = {"N1": {"O2": 2}, "N2": {"O2": 1}}  # N3 has nothing to find
    scores = score(rankings, judgements)
    assert scores.recall == pytest.approx(1.0)
    # N2 has no offer judged 2: only N1 counts for MRR.
    assert scores.mrr == pytest.approx(0.5)
    assert scores.needs == 3
