from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from clearinghouse.helpdesk.smtp import Receiver


class Command(BaseCommand):
    """``clearinghouse mailreceiver``: the help desk's SMTP receiver, until stopped."""

    help = "Receive the help desk's mail by SMTP: each message becomes a ticket or a reply."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.HELPDESK_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.HELPDESK_SMTP_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        # aiosmtpd logs every command of every session at INFO: only with -v 2.
        logging.getLogger("mail.log").setLevel(logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        stop = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_args: stop.set())
        with Receiver(host, port):
            self.stdout.write(f"Help-desk mail received at smtp://{host}:{port}")
            stop.wait()
