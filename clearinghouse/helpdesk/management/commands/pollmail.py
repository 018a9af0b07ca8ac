from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearinghouse.helpdesk import imap


class Command(BaseCommand):
    """``clearinghouse pollmail``: read the help desk's IMAP mailbox once (the worker does it
    every minute when HELPDESK_IMAP_URL is set)."""

    help = "Store and process the unseen mail of the help desk's IMAP mailbox (HELPDESK_IMAP_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="", help="imaps://user:password@host/INBOX instead of the setting."
        )
        parser.add_argument("--move-to", default=None, help="A folder to move processed mail into.")

    def handle(self, *args: Any, url: str, move_to: str | None, **options: Any) -> None:
        if not (url or settings.HELPDESK_IMAP_URL):
            raise CommandError("Set HELPDESK_IMAP_URL (imaps://user:password@host/INBOX) or give --url.")
        stored = imap.poll(url, move_to=move_to)
        self.stdout.write(f"{len(stored)} message(s) received.")
