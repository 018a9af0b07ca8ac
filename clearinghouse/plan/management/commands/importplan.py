from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.plan.importer import import_plan
from clearinghouse.plan.parser import parse_plan
from clearinghouse.plan.translations import TRANSLATIONS_DIR, TranslationFileError, source_document


class Command(BaseCommand):
    help = (
        "Import the short-term action plan on capacity-building from the Arabic text of decision "
        "XIII/23 (clearinghouse/plan/data/decision-XIII-23-ar.txt), then the unofficial translations "
        "of clearinghouse/plan/data/translations/. Idempotent; one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the text of the decision (UTF-8)")
        parser.add_argument(
            "--translations",
            type=Path,
            default=TRANSLATIONS_DIR,
            help="the folder of translation files (ar.json and one <language>.json per language)",
        )
        parser.add_argument(
            "--dump-source",
            action="store_true",
            help="write the Arabic texts as JSON in the shape of a translation file, import nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["dump_source"]:
            plan = parse_plan(path.read_text(encoding="utf-8"))
            self.stdout.write(json.dumps(source_document(plan), ensure_ascii=False, indent=2))
            return
        try:
            report = import_plan(path, translations=options["translations"])
        except TranslationFileError as error:
            raise CommandError(f"{error}; nothing was imported") from error
        for problem in report.problems:
            self.stderr.write(f"{path}:{problem.line}: {problem.reason}: {problem.text.strip()}")
        for note in report.notes():
            self.stdout.write(note)
        # Last, so that scripts can read the counts from the final line.
        self.stdout.write(report.summary)
