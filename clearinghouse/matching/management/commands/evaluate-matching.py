# ruff: noqa: N999 - Django names the command after its module: evaluate-matching
"""``clearinghouse evaluate-matching FILE.jsonl``: rank every need's offers and score the ranking.

The dataset is held in memory only (nothing is written to the database); eligibility comes from
the country reference data (the Country table, or its source file while the table is empty).
The last line printed is ``recall@10=<r> mrr=<m> ndcg@10=<n> needs=<k> offers=<j>``; the lines
before it give each split and group, the cross-lingual and same-language recall and the time taken.

Ablations: ``--weights`` (a feature's weight set to 0 leaves it out), ``--no-centring``,
``--without targets,support_types`` (tags emptied on every need and offer: does the text carry
the ranking?) and ``--ranking embedding`` (the baseline: the embedding alone, behind eligibility
and the types of support).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clearinghouse.matching import conf
from clearinghouse.matching.bands import THRESHOLDS
from clearinghouse.matching.countries import default_directory
from clearinghouse.matching.dataset import DatasetError, read_dataset
from clearinghouse.matching.embedders import CachedEmbedder, load_embedder
from clearinghouse.matching.engine import MatchingError
from clearinghouse.matching.evaluation import (
    EMBEDDING,
    MATCHER,
    TAGS,
    Report,
    band_figures,
    calibrate,
    evaluate,
    without,
)
from clearinghouse.matching.scoring import Weights
from clearinghouse.matching.vocabulary import default_vocabularies

WEIGHT_NAMES = {item.name for item in fields(Weights)}


def parse_weights(text: str) -> Weights:
    """``semantic=0,lexical=2`` → the default weights with those changed."""
    changes: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, _, value = part.partition("=")
        if name not in WEIGHT_NAMES:
            raise CommandError(f"unknown weight {name!r} (known: {', '.join(sorted(WEIGHT_NAMES))})")
        try:
            changes[name] = float(value)
        except ValueError:
            raise CommandError(f"weight {name} must be a number, not {value!r}") from None
    return replace(Weights(), **changes)


def parse_tags(text: str) -> list[str]:
    """``targets,support_types`` → those tags, each one of ``TAGS``."""
    tags = [tag for tag in (piece.strip() for piece in text.split(",")) if tag]
    unknown = [tag for tag in tags if tag not in TAGS]
    if unknown:
        raise CommandError(f"unknown tag {unknown[0]!r} (known: {', '.join(TAGS)})")
    return tags


class Command(BaseCommand):
    help = "Evaluate the matcher on a JSON Lines dataset of needs, offers and relevance judgements."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the dataset (JSON Lines)")
        parser.add_argument(
            "--output", type=Path, help="write each need's ranked offer ids here (JSON Lines)"
        )
        parser.add_argument("--split", help="evaluate only the needs of this split (dev, heldout, ...)")
        parser.add_argument("--embedder", help="dotted path of another embedder (default: MATCHING_EMBEDDER)")
        parser.add_argument("--weights", default="", help="change scoring weights, e.g. semantic=0,lexical=2")
        parser.add_argument(
            "--no-centring",
            action="store_true",
            help="leave out language centring (to measure what it brings)",
        )
        parser.add_argument(
            "--without",
            default="",
            help=f"empty these tags on every need and offer, comma-separated ({', '.join(TAGS)})",
        )
        parser.add_argument(
            "--ranking",
            choices=(MATCHER, EMBEDDING),
            default=MATCHER,
            help="rank with the whole matcher, or with the embedding alone (the baseline)",
        )
        parser.add_argument(
            "--calibrate",
            action="store_true",
            help="measure the thresholds of the score bands (good, fair, weak) and how each band does",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        countries = default_directory()
        try:
            dataset = read_dataset(options["file"], countries, default_vocabularies())
        except DatasetError as error:
            raise CommandError(str(error)) from error
        if options["calibrate"] and options["ranking"] == EMBEDDING:
            raise CommandError("--calibrate measures the matcher's scores, not --ranking embedding")
        dropped = parse_tags(options["without"])
        if dropped:
            dataset = without(dataset, dropped)
        if options["split"] and options["split"] not in set(dataset.splits.values()):
            raise CommandError(f"no need is in split {options['split']!r}")
        embedder = CachedEmbedder(load_embedder(options["embedder"] or conf.embedder_path()))
        try:
            report = evaluate(
                dataset,
                embedder,
                split=options["split"],
                weights=parse_weights(options["weights"]),
                matcher_options={"language_centring": not options["no_centring"]},
                ranking=options["ranking"],
            )
        except MatchingError as error:
            raise CommandError(str(error)) from error
        if options["output"]:
            with options["output"].open("w", encoding="utf-8") as stream:
                for need, ranked in report.rankings.items():
                    stream.write(json.dumps({"need": need, "ranked": ranked}, ensure_ascii=False) + "\n")
        write = self.stdout.write
        write(
            f"embedder={embedder.name} ranking={options['ranking']} "
            f"weights={json.dumps(parse_weights(options['weights']).as_dict())} "
            f"without={','.join(dropped) or '-'}"
        )
        for name, scores in report.by_split.items():
            write(f"split={name} {scores.line()} needs={scores.needs}")
        for name, scores in report.by_group.items():
            write(f"group={name} {scores.line()} needs={scores.needs}")
        write(f"cross-lingual recall@10={report.cross_lingual_recall:.3f} pairs={report.cross_lingual_pairs}")
        write(f"same-language recall@10={report.same_language_recall:.3f} pairs={report.same_language_pairs}")
        write(" ".join(f"{name}_s={seconds:.2f}" for name, seconds in report.seconds.items()))
        if options["calibrate"]:
            self._calibrate(report, dataset.judgements, dataset.splits)
        write(f"{report.overall.line()} needs={report.overall.needs} offers={report.offers}")

    def _calibrate(self, report: Report, judgements: Any, splits: dict[str, str]) -> None:
        """The measured thresholds, each band's figures overall and per split, and the figures
        of the thresholds the platform ships (bands.THRESHOLDS) beside them."""
        write = self.stdout.write
        try:
            measured = calibrate(report, judgements)
        except MatchingError as error:
            raise CommandError(str(error)) from error
        for name, calibration in (("measured", measured), ("shipped", None)):
            thresholds = measured.thresholds if calibration is not None else THRESHOLDS
            write(f"{name} thresholds: good={thresholds.good:.2f} fair={thresholds.fair:.2f}")
            for split in [None, *sorted(set(splits.values()))]:
                needs = None if split is None else {need for need, value in splits.items() if value == split}
                figures = band_figures(report, judgements, thresholds, needs)
                where = "all" if split is None else split
                for band in figures.bands:
                    write(f"  split={where} {band.line()}")
                write(f"  split={where} needs_with_good={figures.needs_with_good}/{figures.needs}")
