"""``clearinghouse restore BACKUP [--force] [--check]``: check a backup whole, then restore it
onto this deployment (docs/operations.md, "Backups and restores")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `clearinghouse backup` onto this deployment: every file is "
        "checked first; the database and the kept files are replaced; derived state is rebuilt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup folder (holding manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data, and files already in place",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the backup's manifest and every file's checksum; restore nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                manifest = backups.read_manifest(options["backup"])
                backups.verify(options["backup"], manifest)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"The backup of {manifest.created_at} ({manifest.vendor}, code "
                        f"{manifest.code_version}) is whole: {len(manifest.files)} files checked."
                    )
                )
                return
            restored = backups.restore(options["backup"], force=options["force"], say=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self._compare(restored, verbosity=options["verbosity"])

    def _compare(self, restored: backups.Restored, *, verbosity: int) -> None:
        differences = restored.differences()
        if verbosity >= 2:
            for label, rows in sorted(restored.expected.items()):
                found = restored.found.get(label, 0)
                self.stdout.write(f"  {label}: {rows:,} in the backup, {found:,} restored")
        total = sum(restored.expected.values())
        if differences:
            lines = "\n".join(
                f"  {label}: {expected:,} in the backup, {found:,} restored"
                for label, (expected, found) in sorted(differences.items())
            )
            raise CommandError(
                "The restored database differs from the backup's manifest in "
                f"{len(differences)} models:\n{lines}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored: {total:,} rows in {len(restored.expected)} models, as in the backup's manifest."
            )
        )
