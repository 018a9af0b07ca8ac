"""Mail another part of the platform answers for (a reply to a community digest) comes in
through the help desk's receiver: a registered route takes it after the duplicate, automatic and
rate checks, and before it could become a ticket."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import override_settings

from clearinghouse.helpdesk import mail_in
from clearinghouse.helpdesk.models import InboundMail, MailOutcome, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_mail import message

pytestmark = [pytest.mark.django_db, pytest.mark.urls("clearinghouse.helpdesk.tests.urls_mail")]

ROUTED_ADDRESS = "helpdesk+elsewhere@clearinghouse.example"


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[mail_in.Parsed]:
    """A route that takes what is sent to ROUTED_ADDRESS, and the messages it was asked about."""
    asked: list[mail_in.Parsed] = []

    def route(parsed: mail_in.Parsed) -> tuple[str, str] | None:
        asked.append(parsed)
        if ROUTED_ADDRESS in parsed.recipients:
            return MailOutcome.ROUTED, "Taken elsewhere."
        return None

    # Only this route: the routes other apps register are tested with those apps.
    monkeypatch.setattr(mail_in, "_routes", {})
    mail_in.register_route("elsewhere", route)
    return asked


@pytest.fixture
def receive(django_capture_on_commit_callbacks) -> Callable[..., InboundMail]:  # type: ignore[no-untyped-def]
    def _receive(raw: bytes, **kwargs: str) -> InboundMail:
        with django_capture_on_commit_callbacks(execute=True):
            received = mail_in.receive(raw, **kwargs)
        received.refresh_from_db()
        return received

    return _receive


def test_a_routed_message_is_kept_and_opens_no_ticket(seen, receive) -> None:  # type: ignore[no-untyped-def]
    raw = message(to=ROUTED_ADDRESS)
    received = receive(raw)
    assert received.outcome == MailOutcome.ROUTED and received.detail == "Taken elsewhere."
    assert received.ticket is None and bytes(received.raw) == raw
    # The route sees what the desk read of it: the sender and the text.
    assert seen[0].address == "amelie@example.fr" and "formulaire" in seen[0].body
    assert not Ticket.objects.exists() and mail.outbox == []


def test_a_message_no_route_takes_becomes_a_ticket(seen, receive) -> None:  # type: ignore[no-untyped-def]
    factories.desk("central", email="helpdesk@clearinghouse.example")
    received = receive(message(to="helpdesk@clearinghouse.example"))
    assert len(seen) == 1 and received.outcome == MailOutcome.NEW_TICKET and received.ticket is not None


def test_an_automatic_message_never_reaches_a_route(seen, receive) -> None:  # type: ignore[no-untyped-def]
    received = receive(message(to=ROUTED_ADDRESS, headers={"Auto-Submitted": "auto-replied"}))
    assert received.outcome == MailOutcome.AUTO_REPLY and seen == []


def test_the_same_message_routed_again_is_a_duplicate(seen, receive) -> None:  # type: ignore[no-untyped-def]
    raw = message(to=ROUTED_ADDRESS)
    receive(raw)
    again = receive(raw)
    assert again.outcome == MailOutcome.LOOP and len(seen) == 1


@override_settings(HELPDESK_MAIL_PER_HOUR=2)
def test_routed_messages_count_towards_the_hourly_limit(seen, receive) -> None:  # type: ignore[no-untyped-def]
    outcomes = [receive(message(to=ROUTED_ADDRESS, subject=f"Reply {number}")).outcome for number in range(3)]
    assert outcomes == [MailOutcome.ROUTED, MailOutcome.ROUTED, MailOutcome.RATE_LIMITED]
    assert len(seen) == 2
