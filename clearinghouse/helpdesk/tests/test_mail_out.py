"""Mail the help desk sends, end to end: the acknowledgement in the requester's language with
its reference, replies that thread (Message-ID, In-Reply-To, Reply-To the desk), the rating
links on close, and a reply to any of them finding its ticket again."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from clearinghouse.helpdesk import mail_in, mail_out, services
from clearinghouse.helpdesk.models import MailOutcome
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_mail import message

pytestmark = [pytest.mark.django_db, pytest.mark.urls("clearinghouse.helpdesk.tests.urls_mail")]

DESK_ADDRESS = "afrique@clearinghouse.example"


@pytest.fixture
def regional(world):  # type: ignore[no-untyped-def]
    return factories.desk(
        "africa",
        central=True,
        agents=[world.helpdesk_agent],
        opening_hours=factories.ALWAYS_OPEN,
        email=DESK_ADDRESS,
    )


@pytest.mark.parametrize(
    ("language", "greeting", "word"),
    [
        ("en", "Dear Ada Asker,", "reference"),
        ("fr", "Bonjour Ada Asker,", "référence"),
        ("es", "Ada Asker:", "referencia"),
        ("ar", "Ada Asker", "المرجعي"),
        ("ru", "Ada Asker", "номер"),
        ("zh", "Ada Asker", "编号"),
    ],
)
def test_the_acknowledgement_is_in_the_requesters_language(
    regional, django_capture_on_commit_callbacks, language, greeting, word
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.ticket(language=language)
    [acknowledgement] = mail.outbox
    assert greeting in acknowledgement.body and word in acknowledgement.body
    assert ticket.reference in acknowledgement.body and acknowledgement.subject.startswith(
        f"[{ticket.reference}]"
    )
    assert acknowledgement.from_email.endswith(f"<{DESK_ADDRESS}>")
    assert acknowledgement.extra_headers["Reply-To"] == DESK_ADDRESS


def test_a_reply_threads_and_its_answer_finds_the_ticket(
    world, regional, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        ticket = mail_in.receive(message(to=DESK_ADDRESS)).ticket
    first_id = ticket.articles.first().message_id
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.reply(
            ticket, agent=world.helpdesk_agent, body="Le formulaire est sous « Besoins »."
        )
    reply = mail.outbox[-1]
    assert reply.subject.startswith(f"[{ticket.reference}] Re:")
    assert reply.extra_headers["In-Reply-To"] == first_id and reply.extra_headers["References"] == first_id
    assert reply.extra_headers["Message-ID"] == mail_out.message_id(ticket, answer.pk)
    assert "Auto-Submitted" not in reply.extra_headers
    assert mail_out.ticket_of_message_id(reply.extra_headers["Message-ID"]) == (ticket.reference, answer.pk)
    with django_capture_on_commit_callbacks(execute=True):
        back = mail_in.receive(
            message("Merci !", subject="Réponse", headers={"In-Reply-To": reply.extra_headers["Message-ID"]})
        )
    assert back.outcome == MailOutcome.REPLY and back.ticket == ticket


def test_closing_sends_rating_links_that_rate_in_one_click(
    world, regional, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.ticket(language="es")
        services.reply(ticket, agent=world.helpdesk_agent, body="Resuelto.", then="closed")
    closing = mail.outbox[-1]
    links = re.findall(r"^(\d): (\S+)$", closing.body, re.MULTILINE)
    assert [score for score, _url in links] == ["1", "2", "3", "4", "5"]
    token = links[4][1].rstrip("/").split("/")[-2]
    assert mail_out.reference_of_rating_token(token) == ticket.reference
    assert mail_out.reference_of_rating_token(token[:-2] + "xx") is None
    assert Client().get(links[4][1].removeprefix("http://127.0.0.1:8000")).status_code < 500


def test_a_tampered_message_id_is_not_ours() -> None:
    assert mail_out.ticket_of_message_id("<HD-2026-000001.5.0123456789abcdef@example.org>") is None
    assert mail_out.ticket_of_message_id("<not-ours@example.org>") is None
