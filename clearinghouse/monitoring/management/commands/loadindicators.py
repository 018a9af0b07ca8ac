from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.monitoring.catalogue import CATALOGUE_FILE, CatalogueError, load, summary
from clearinghouse.monitoring.models import Area, Method


class Command(BaseCommand):
    help = (
        "Load the catalogue of indicators (clearinghouse/monitoring/data/indicators.yaml) after the "
        "action plan is imported: checks the file, then creates or updates the indicators by code. "
        "Idempotent; one transaction, so an error changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=CATALOGUE_FILE, help="the catalogue file")
        parser.add_argument(
            "--summary",
            action="store_true",
            help="print how many indicators are computed, entered by hand and not yet possible, by area",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = load(path)
        except CatalogueError as error:
            raise CommandError(f"{path}:\n{error}\n(nothing was changed)") from error
        for code in report.kept:
            self.stderr.write(f"{code}: no longer in the file, kept because it has values")
        if options["summary"]:
            self._summary()
        self.stdout.write(
            f"indicators created={len(report.created)} updated={len(report.updated)} "
            f"unchanged={report.unchanged} removed={len(report.removed)} kept={len(report.kept)}"
        )

    def _summary(self) -> None:
        found = summary()
        methods = list(Method.values)
        self.stdout.write(
            f"{found.total} indicators: "
            + ", ".join(f"{found.by_method.get(method, 0)} {method}" for method in methods)
        )
        self.stdout.write(f"{'area':<12} " + " ".join(f"{method:>8}" for method in methods))
        for area, counts in found.by_area.items():
            self.stdout.write(f"{area:<12} " + " ".join(f"{counts.get(method, 0):>8}" for method in methods))
        self.stdout.write(
            "reasons: " + ", ".join(f"{code}={count}" for code, count in found.by_reason.items())
        )
        self.stdout.write("not yet possible:")
        for indicator in found.not_yet:
            reason = indicator.reasons.get("en", "")
            self.stdout.write(f"  {indicator.code} ({Area(indicator.area).label}): {reason}")
