from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from clearinghouse.helpdesk import mail_in

# sysexits.h: the mail server keeps the message and delivers it again later.
EX_TEMPFAIL = 75


class Command(BaseCommand):
    """``clearinghouse receivemail``: one message on standard input, as a mail server's pipe
    delivers it (Postfix ``pipe``, an Exim transport, procmail, a .forward file)."""

    help = "Store and process one help-desk e-mail read from standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recipient", default="", help="The address the message was delivered to.")

    def handle(self, *args: Any, recipient: str, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        try:
            mail = mail_in.receive(raw, recipient=recipient)
        except DatabaseError as error:
            self.stderr.write(f"The help desk cannot store mail right now: {error}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"{mail.pk} {mail.outcome}")
