"""``clearinghouse backup DIRECTORY [--into]``: the database, the files the platform keeps and a
manifest, in a new folder (docs/operations.md, "Backups and restores")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the files the platform keeps into a new folder "
        "DIRECTORY/clearinghouse-<UTC time> (with --into: into DIRECTORY itself, which must be empty)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="where backups are kept")
        parser.add_argument(
            "--into",
            action="store_true",
            help="write into DIRECTORY itself (missing or empty) instead of a new folder inside it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = backups.create(options["directory"], into=options["into"], say=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written}"))
