"""``clearinghouse rebuildmatching [--reembed]``: embed what is missing or stale, rebuild both
matching catalogues from the stored vectors and save them; one summary line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.matching import index


class Command(BaseCommand):
    help = "Embed published records whose text changed, rebuild the matching catalogues and save them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reembed",
            action="store_true",
            help="embed every record again (after changing MATCHING_EMBEDDER)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(index.rebuild(reembed=options["reembed"])))
