"""The SMTP receiver, as a mail server talks to it: a French e-mail becomes a ticket and a
French acknowledgement; too big is refused with 552; a database error asks to retry (451)."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import override_settings

from clearinghouse.helpdesk import mail_in
from clearinghouse.helpdesk.models import InboundMail, MailOutcome, Ticket
from clearinghouse.helpdesk.smtp import Receiver
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_mail import message

# The receiver's threads write through their own connections: the data must be committed.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("clearinghouse.helpdesk.tests.urls_mail"),
]

DESK_ADDRESS = "helpdesk@clearinghouse.example"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def receiver(world) -> Iterator[int]:  # type: ignore[no-untyped-def]
    factories.desk(
        "central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN, email=DESK_ADDRESS
    )
    port = _free_port()
    with Receiver("127.0.0.1", port):
        yield port


def _send(port: int, raw: bytes, sender: str = "amelie@example.fr") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(sender, [DESK_ADDRESS], raw)


def test_a_french_email_becomes_a_ticket_and_a_french_acknowledgement(receiver) -> None:  # type: ignore[no-untyped-def]
    _send(receiver, message())
    [received] = InboundMail.objects.all()
    assert received.outcome == MailOutcome.NEW_TICKET and received.recipient == DESK_ADDRESS
    # The receiver records the envelope sender as a final delivery does.
    assert bytes(received.raw).startswith(b"Return-Path: <amelie@example.fr>\r\n")
    ticket = Ticket.objects.get()
    assert ticket.language == "fr"
    [acknowledgement] = mail.outbox
    assert acknowledgement.to == ["amelie@example.fr"]
    assert ticket.reference in acknowledgement.subject
    assert ticket.reference in acknowledgement.body and "référence" in acknowledgement.body


def test_a_bounce_with_an_empty_envelope_sender_is_not_answered(receiver) -> None:  # type: ignore[no-untyped-def]
    _send(receiver, message(sender="someone@example.fr"), sender="")
    assert InboundMail.objects.get().outcome == MailOutcome.AUTO_REPLY
    assert mail.outbox == []


@override_settings(HELPDESK_MAIL_MAX_BYTES=20_000)
def test_a_message_too_big_is_refused_with_552_and_nothing_is_stored(world) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    with Receiver("127.0.0.1", port), pytest.raises(smtplib.SMTPResponseException) as refused:
        _send(port, message("x" * 50_000))
    assert refused.value.smtp_code == 552
    assert InboundMail.objects.count() == 0


def test_a_database_error_asks_the_sender_to_retry_with_451(receiver, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(mail_in, "store", down)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(receiver, message())
    assert refused.value.smtp_code == 451


# ---------------------------------------------------------------------------------------------
# The mail server's pipe (`clearinghouse receivemail`) and the IMAP mailbox (`pollmail`)


def _pipe(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    import io
    import sys

    from django.core.management import call_command

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    try:
        call_command("receivemail", "--recipient", DESK_ADDRESS, stdout=io.StringIO(), stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_the_pipe_stores_a_message_and_exits_0(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    factories.desk("central", opening_hours=factories.ALWAYS_OPEN, email=DESK_ADDRESS)
    assert _pipe(message(), monkeypatch) == 0
    assert InboundMail.objects.get().outcome == MailOutcome.NEW_TICKET


def test_the_pipe_exits_75_on_a_database_error_so_the_server_retries(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(mail_in, "store", down)
    assert _pipe(message(), monkeypatch) == 75


class FakeImap:
    """An IMAP server's answers for two unseen messages, recording what is flagged."""

    def __init__(self, messages: dict[bytes, bytes]) -> None:
        self.messages = messages
        self.flagged: list[tuple[bytes, str]] = []

    def __enter__(self) -> FakeImap:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def login(self, user: str, password: str) -> None:
        assert (user, password) == ("desk@example.org", "s3cret/pass")

    def select(self, folder: str) -> None:
        assert folder == '"INBOX"'

    def uid(self, command: str, *args: object) -> tuple[str, list[object]]:
        if command == "SEARCH":
            return "OK", [b" ".join(self.messages)]
        if command == "FETCH":
            uid = args[0]
            assert isinstance(uid, bytes)
            return "OK", [(b"1 (UID 1 BODY[] {9})", self.messages[uid]), b")"]
        if command == "STORE":
            uid, _how, flags = args
            assert isinstance(uid, bytes) and isinstance(flags, str)
            self.flagged.append((uid, flags))
        return "OK", []

    def expunge(self) -> None:
        return None


def test_polling_the_mailbox_stores_each_unseen_message_then_marks_it_seen(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from clearinghouse.helpdesk import imap

    factories.desk("central", opening_hours=factories.ALWAYS_OPEN, email=DESK_ADDRESS)
    server = FakeImap({b"7": message(), b"8": message("Second question.", subject="Autre")})
    monkeypatch.setattr(imap, "connect", lambda box: server)
    stored = imap.poll("imaps://desk%40example.org:s3cret%2Fpass@imap.example.org/INBOX", move_to="")
    assert len(stored) == 2 and Ticket.objects.count() == 2
    assert server.flagged == [(b"7", r"(\Seen)"), (b"8", r"(\Seen)")]
