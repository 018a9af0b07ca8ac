from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.quality.standards import STANDARDS_FILE, StandardsFileError, load


class Command(BaseCommand):
    help = (
        "Load the quality standards and checklist templates (clearinghouse/quality/data/standards.yaml): "
        "checks the file, then makes a new version in force of each one whose content no version "
        "holds yet (the one before retires). Idempotent; one transaction, so an error changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=STANDARDS_FILE, help="the standards file")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            report = load(path)
        except StandardsFileError as error:
            raise CommandError(f"{path}:\n{error}\n(nothing was changed)") from error
        for code in report.superseded:
            self.stderr.write(
                f"{code}: a newer version made on the site is in force; the file's is kept as it was"
            )
        self.stdout.write(
            f"standards and checklist templates created={len(report.created)} "
            f"new_versions={len(report.new_versions)} unchanged={len(report.unchanged)} "
            f"superseded={len(report.superseded)}"
        )
