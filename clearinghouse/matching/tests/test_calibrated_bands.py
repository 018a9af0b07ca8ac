"""The score bands keep their promise on the development set: a good suggestion is right at least
nine times in ten, a fair one about one time in two, and the calibration finds its thresholds
again. A change of the scoring that moves the scores fails here until the bands are calibrated
again (``evaluate-matching --calibrate``, then bands.THRESHOLDS)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from clearinghouse.matching import conf
from clearinghouse.matching.bands import THRESHOLDS, band
from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.dataset import read_dataset
from clearinghouse.matching.embedders import CachedEmbedder
from clearinghouse.matching.evaluation import (
    GOOD_PRECISION,
    Report,
    Scores,
    band_figures,
    calibrate,
    evaluate,
)
from clearinghouse.matching.vocabulary import default_vocabularies

from .conftest import DEVSET

Judged = dict[str, dict[str, int]]


@pytest.fixture
def devset_report(model: CachedEmbedder, countries: CountryDirectory) -> tuple[Report, Judged]:
    dataset = read_dataset(DEVSET, countries, default_vocabularies())
    return evaluate(dataset, model), dataset.judgements


def test_a_good_suggestion_is_right_nine_times_in_ten_on_the_development_set(
    devset_report: tuple[Report, Judged],
) -> None:
    report, judgements = devset_report
    good, fair, weak = band_figures(report, judgements, THRESHOLDS).bands
    assert good.shown >= 100  # a band that shows almost nothing would be right for nothing
    assert good.precision >= GOOD_PRECISION
    # Fair is worth showing, weak is not: the order of the bands is the order of their precision.
    assert 0.4 <= fair.precision < good.precision
    assert weak.precision < 0.2


def test_the_calibration_finds_the_shipped_thresholds(
    devset_report: tuple[Report, Judged],
) -> None:
    report, judgements = devset_report
    measured = calibrate(report, judgements)
    # Rounded as bands.py holds them: the shipped figures are the measured ones.
    assert measured.thresholds.good == pytest.approx(THRESHOLDS.good, abs=0.01)
    assert measured.thresholds.fair == pytest.approx(THRESHOLDS.fair, abs=0.01)
    assert measured.needs_with_good >= 0.9 * measured.needs


def test_the_thresholds_are_the_lowest_scores_that_keep_the_precision() -> None:
    # Ten suggestions of one need: the first five right, then one wrong, then mixed.
    judged = {"O1": 2, "O2": 1, "O3": 2, "O4": 1, "O5": 2, "O7": 1, "O9": 1}
    ranked = [f"O{number}" for number in range(1, 11)]
    scores = [9.0, 8.0, 7.0, 6.0, 5.0, 4.5, 4.0, 3.0, 2.0, 1.0]
    report = Report(
        rankings={"N1": ranked},
        scores={"N1": scores},
        overall=Scores(0, 0, 0, 1),
        by_split={},
        by_group={},
        cross_lingual_recall=0,
        cross_lingual_pairs=0,
        same_language_recall=0,
        same_language_pairs=0,
        offers=10,
    )
    measured = calibrate(report, {"N1": judged})
    # 5 of 5 right down to 5.0; 5 of 6 (0.83) at 4.5 falls short of 0.9.
    assert measured.thresholds.good == 5.0
    # Below 5.0: O6 wrong, O7 right (1 of 2), O8 wrong, O9 right (2 of 4): the lowest keeping half.
    assert measured.thresholds.fair == 2.0
    good, fair, weak = measured.bands
    assert (good.shown, good.right, good.answers) == (5, 5, 3)
    assert (fair.shown, fair.right) == (4, 2)
    assert (weak.shown, weak.right) == (1, 0)
    assert good.recall == pytest.approx(5 / 7)


def test_band_names_the_band_of_a_score() -> None:
    assert band(THRESHOLDS.good) == "good"
    assert band(THRESHOLDS.fair) == "fair"
    assert band(THRESHOLDS.fair - 0.01) == "weak"
    assert band(-2.0) == "weak"


@pytest.mark.django_db  # the command reads the Country table
def test_the_command_prints_the_measured_thresholds_with_their_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("evaluate-matching", str(DEVSET), "--calibrate", "--embedder", conf.DEFAULT_EMBEDDER)
    out = capsys.readouterr().out
    assert f"measured thresholds: good={THRESHOLDS.good:.2f} fair={THRESHOLDS.fair:.2f}" in out
    assert "split=heldout band=good" in out
    assert "precision=" in out and "recall=" in out
