"""The help desk's own SMTP receiver (aiosmtpd): mail for the desks arrives here, is stored and
processed by mail_in.py, and only then is accepted, so a message is never acknowledged at the
SMTP level before it is safely in the database.

Answers: 250 once stored; 552 above HELPDESK_MAIL_MAX_BYTES (checked by aiosmtpd while the
data arrives, so an oversized message is never held in full, and again here); 451 when the
database cannot be written, so that the sending server keeps the message and tries later.
The database work is ordinary synchronous Django, run in worker threads off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import DatabaseError, close_old_connections

from clearinghouse.helpdesk import mail_in

logger = logging.getLogger(__name__)


def _receive(raw: bytes, recipient: str) -> int:
    # A thread of the pool keeps its connection between messages: drop it when it is stale.
    close_old_connections()
    try:
        return mail_in.receive(raw, recipient=recipient).pk
    finally:
        close_old_connections()


class HelpdeskHandler:
    """aiosmtpd handler: every message received goes to mail_in.receive."""

    def __init__(self, workers: int = 2) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="helpdesk-mail")

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802  (aiosmtpd's name)
        content = envelope.original_content or b""
        if len(content) > mail_in.max_bytes():
            return "552 5.3.4 Message too big for the help desk"
        # What a final delivery adds (RFC 5321, 4.4): the envelope sender, "<>" for a bounce.
        mail_from = (envelope.mail_from or "").strip("<>")
        raw = b"Return-Path: <" + mail_from.encode("utf-8", "replace") + b">\r\n" + content
        recipient = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        loop = asyncio.get_running_loop()
        try:
            pk = await loop.run_in_executor(self.executor, _receive, raw, recipient)
        except DatabaseError:
            logger.exception("Help-desk mail from %s could not be stored", mail_from)
            return "451 4.3.0 The help desk cannot store mail right now; try again later"
        return f"250 2.0.0 Received by the help desk ({pk})"

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class Receiver:
    """The SMTP receiver on a host and port, running in a thread of its own until stopped."""

    def __init__(self, host: str, port: int) -> None:
        self.handler = HelpdeskHandler()
        self.controller = Controller(
            self.handler,
            hostname=host,
            port=port,
            data_size_limit=mail_in.max_bytes(),
            enable_SMTPUTF8=True,
            # Generous: the controller checks it is up by connecting to itself, slow on a busy host.
            ready_timeout=30,
        )

    def __enter__(self) -> Receiver:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.handler.close()
