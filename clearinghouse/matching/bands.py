"""How much to trust a suggestion, from its score: the bands the pages show, with thresholds
measured on the development set (``evaluation.calibrate``, ``clearinghouse evaluate-matching
--calibrate``), not chosen.

- **good**: right (judged 1 or 2: it answers the need at least in part) at least 9 times in 10;
- **fair**: right about one time in two (the measured share is below);
- **weak**: the rest, shown only on request.

The thresholds are read from here only: after any change of the scoring (weights, features, the
model), run the calibration again and copy its figures here;
``matching/tests/test_calibrated_bands.py`` fails while they no longer hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Band = Literal["good", "fair", "weak"]
BAND_NAMES: tuple[Band, ...] = ("good", "fair", "weak")


@dataclass(frozen=True)
class Thresholds:
    """The lowest score of a good and of a fair suggestion."""

    good: float
    fair: float

    def band(self, score: float) -> Band:
        return "good" if score >= self.good else "fair" if score >= self.fair else "weak"


# Calibrated on matching/data/devset.jsonl (`evaluate-matching --calibrate`: all 92 needs, the
# first ten suggestions of each, the default model and weights). Good: 165 suggestions, 90.3%
# right (78.8% answer the need), 57.3% of the relevant offers; 86 of 92 needs have one. Fair: 110,
# 50.0% right. Weak: 645, 7.1% right. Held-out split alone: good 88.1%, fair 42.1%.
THRESHOLDS = Thresholds(good=4.82, fair=3.92)


def band(score: float) -> Band:
    """The band of a suggestion's score."""
    return THRESHOLDS.band(score)
