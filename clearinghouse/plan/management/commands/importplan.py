from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.plan.importer import import_plan


class Command(BaseCommand):
    help = (
        "Import the short-term action plan on capacity-building from the Arabic text of decision "
        "XIII/23 (clearinghouse/plan/data/decision-XIII-23-ar.txt). Idempotent; one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the text of the decision (UTF-8)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = import_plan(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(f"{path}:{problem.line}: {problem.reason}: {problem.text.strip()}")
        for note in report.notes():
            self.stdout.write(note)
        # Last, so that scripts can read the counts from the final line.
        self.stdout.write(report.summary)
