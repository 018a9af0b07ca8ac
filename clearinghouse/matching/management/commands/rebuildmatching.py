"""``clearinghouse rebuildmatching [--reembed] [--sync]``: embed what is missing or stale, store
it, estimate the language means again and build this host's caches; one summary line. With
``--sync``, only bring this host's caches up to date with the database (for a host that runs no
worker: from cron, every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.matching import index
from clearinghouse.matching.leases import CatalogueBusyError

# How long the command waits for a writer that holds a catalogue (a refresh takes seconds).
WAIT_SECONDS = 600


class Command(BaseCommand):
    help = "Embed published records whose text changed, store them and rebuild this host's matching caches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reembed",
            action="store_true",
            help="embed every record again (after changing MATCHING_EMBEDDER)",
        )
        parser.add_argument(
            "--sync",
            action="store_true",
            help="only bring this host's caches up to date with the database (writes nothing to it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sync"]:
            done = index.sync()
            self.stdout.write(
                "matching caches: "
                + " ".join(f"{catalogue}={outcome}" for catalogue, outcome in done.items())
            )
            return
        try:
            self.stdout.write(str(index.rebuild(reembed=options["reembed"], wait=WAIT_SECONDS)))
        except CatalogueBusyError as busy:
            raise CommandError(f"{busy}; try again later") from busy
