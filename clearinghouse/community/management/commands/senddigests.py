"""``clearinghouse senddigests``: the communities' e-mail digests, at once, as the worker sends
them on schedule (daily at 06:00 UTC, weekly on Mondays at 06:15 UTC)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.community import digests
from clearinghouse.community.models import DigestFrequency

SCHEDULED = (DigestFrequency.DAILY, DigestFrequency.WEEKLY)


class Command(BaseCommand):
    help = (
        "Send the communities' e-mail digests of this period (daily and weekly); with --now, "
        "each member's digest at once, whatever their frequency (never excepted) and the period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency",
            choices=SCHEDULED,
            help="Only the digests of this frequency.",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send each member what is new since their last digest now, even if this day's or "
            "week's digest has gone out already.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            sent = digests.send_digests(None)
        else:
            wanted = (
                [options["frequency"]]
                if options["frequency"]
                else [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
            )
            sent = sum(digests.send_digests(frequency) for frequency in wanted)
        self.stdout.write(f"{sent} digest(s) queued.")
