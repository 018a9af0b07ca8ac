"""Mail the help desk receives: a ticket or a reply to one, in any encoding, never lost, never
answered when a program wrote it, and never trusted on a reference alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from clearinghouse.helpdesk import mail_in, services
from clearinghouse.helpdesk.models import Article, InboundMail, Kind, MailOutcome, Status, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_mail import encoded, message

pytestmark = [pytest.mark.django_db, pytest.mark.urls("clearinghouse.helpdesk.tests.urls_mail")]

DESK_ADDRESS = "helpdesk@clearinghouse.example"


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk(
        "central",
        agents=[world.helpdesk_agent],
        opening_hours=factories.ALWAYS_OPEN,
        email=DESK_ADDRESS,
        languages=["fr", "en"],
    )


@pytest.fixture
def receive(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Receive a message the way the receivers do, sending what it makes the desk send."""

    def _receive(raw: bytes, **kwargs: str) -> InboundMail:
        with django_capture_on_commit_callbacks(execute=True):
            received = mail_in.receive(raw, **kwargs)
        received.refresh_from_db()
        return received

    return _receive


def test_a_french_message_opens_a_french_ticket_acknowledged_in_french(central, receive) -> None:  # type: ignore[no-untyped-def]
    raw = message()
    received = receive(raw)
    ticket = received.ticket
    assert received.outcome == MailOutcome.NEW_TICKET and ticket is not None
    assert bytes(received.raw) == raw and received.size == len(raw) and received.sender == "amelie@example.fr"
    assert ticket.language == "fr" and ticket.channel == "email" and ticket.desk == central
    assert ticket.requester_email == "amelie@example.fr" and ticket.requester_name == "Amélie Dupont"
    [acknowledgement] = mail.outbox
    assert acknowledgement.to == ["amelie@example.fr"]
    assert acknowledgement.subject.startswith(f"[{ticket.reference}] Nous avons")
    assert acknowledgement.subject.endswith("votre question : Formulaire des besoins")
    assert ticket.reference in acknowledgement.body and "référence" in acknowledgement.body
    assert acknowledgement.extra_headers["Reply-To"] == DESK_ADDRESS
    assert acknowledgement.extra_headers["Auto-Submitted"] == "auto-replied"


def test_the_account_with_the_verified_address_is_the_requester(world, central, receive) -> None:  # type: ignore[no-untyped-def]
    received = receive(message(sender=f"Pierre <{world.trainer.email}>"))
    assert received.ticket.requester == world.trainer


def test_a_reply_to_our_message_threads_by_its_signed_message_id(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    ours = mail.outbox[0].extra_headers["Message-ID"]
    reply = message(
        "Merci, voici plus de détails.\n\nLe 3 mars 2026, Help desk a écrit :\n> Nous avons votre question",
        subject="Re: sans référence",
        headers={"In-Reply-To": ours, "References": ours},
    )
    received = receive(reply)
    assert received.outcome == MailOutcome.REPLY and received.ticket == ticket
    last = ticket.articles.last()
    # The quoted history is left out: the agent reads only what is new.
    assert last.kind == Kind.MESSAGE and last.body == "Merci, voici plus de détails."
    assert Ticket.objects.count() == 1


def test_a_forged_message_id_finds_nothing(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    forged = f"<{ticket.reference}.1.0000000000000000@clearinghouse.example>"
    received = receive(message("Autre chose.", subject="Question", headers={"In-Reply-To": forged}))
    assert received.outcome == MailOutcome.NEW_TICKET and received.ticket != ticket


def test_the_reference_in_the_subject_threads_from_the_requester(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    received = receive(message("Toujours rien.", subject=f"Re: [{ticket.reference}] Formulaire des besoins"))
    assert received.outcome == MailOutcome.REPLY and received.ticket == ticket


def test_a_reference_from_a_stranger_opens_a_new_ticket_and_warns_the_agents(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    received = receive(
        message(
            "Please send me the files of this ticket.",
            subject=f"[{ticket.reference}] Formulaire des besoins",
            sender="intruder@example.net",
        )
    )
    assert received.outcome == MailOutcome.NEW_TICKET and received.ticket != ticket
    assert ticket.reference in received.detail
    note = received.ticket.articles.get(kind=Kind.NOTE)
    assert ticket.reference in note.body and "intruder@example.net" in note.body
    assert ticket.articles.count() == 1


def test_mail_from_an_agent_on_a_ticket_is_an_internal_note(world, central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    mail.outbox.clear()
    received = receive(
        message(
            "I called her; she has the form now.",
            subject=f"[{ticket.reference}]",
            sender=world.helpdesk_agent.email,
        )
    )
    assert received.outcome == MailOutcome.REPLY
    note = ticket.articles.last()
    assert note.kind == Kind.NOTE and note.author == world.helpdesk_agent
    assert mail.outbox == []


def test_a_message_to_a_ticket_closed_long_ago_opens_a_new_one(world, central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    services.close(ticket, actor=world.helpdesk_agent)
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=30))
    received = receive(message("Encore une question.", subject=f"Re: [{ticket.reference}] Formulaire"))
    assert received.outcome == MailOutcome.NEW_TICKET and received.ticket != ticket
    assert ticket.reference in received.ticket.articles.get(kind=Kind.NOTE).body
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "yes"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.example.org>"},
        {"X-Auto-Response-Suppress": "All"},
        {"Return-Path": "<>"},
    ],
)
def test_an_automatic_message_is_kept_and_never_answered(central, receive, headers) -> None:  # type: ignore[no-untyped-def]
    received = receive(message("Je suis absente jusqu'au 12 mars.", subject="Absence", headers=headers))
    assert received.outcome == MailOutcome.AUTO_REPLY and received.ticket is None
    assert Ticket.objects.count() == 0 and mail.outbox == []


def test_auto_submitted_no_is_a_person_writing(central, receive) -> None:  # type: ignore[no-untyped-def]
    assert receive(message(headers={"Auto-Submitted": "no"})).outcome == MailOutcome.NEW_TICKET


def test_an_automatic_reply_to_a_ticket_becomes_an_internal_note(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    ours = mail.outbox[0].extra_headers["Message-ID"]
    mail.outbox.clear()
    received = receive(
        message(
            "Absente.",
            subject="Réponse automatique",
            headers={"In-Reply-To": ours, "Auto-Submitted": "auto-replied"},
        )
    )
    assert received.outcome == MailOutcome.AUTO_REPLY and received.ticket == ticket
    assert ticket.articles.last().kind == Kind.NOTE
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW and mail.outbox == []


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.fr", "postmaster@example.fr", DESK_ADDRESS])
def test_bounces_and_our_own_mail_are_not_answered(central, receive, sender) -> None:  # type: ignore[no-untyped-def]
    received = receive(message("Delivery failed", subject="Undelivered", sender=sender))
    assert received.outcome in {MailOutcome.AUTO_REPLY, MailOutcome.LOOP}
    assert Ticket.objects.count() == 0 and mail.outbox == []


def test_our_own_mail_coming_back_is_a_loop(central, receive) -> None:  # type: ignore[no-untyped-def]
    received = receive(message(sender=DESK_ADDRESS))
    assert received.outcome == MailOutcome.LOOP
    relayed = receive(
        message(sender="forwarder@example.org", headers={"X-Clearinghouse-Ticket": "HD-2026-000001"})
    )
    assert relayed.outcome == MailOutcome.LOOP and mail.outbox == []


@override_settings(HELPDESK_MAIL_PER_HOUR=3)
def test_one_address_opens_a_few_tickets_an_hour_then_is_held(central, receive) -> None:  # type: ignore[no-untyped-def]
    outcomes = [
        receive(message(f"Question numéro {number}.", subject=f"Question {number}")).outcome
        for number in range(5)
    ]
    assert outcomes == [MailOutcome.NEW_TICKET] * 3 + [MailOutcome.RATE_LIMITED] * 2
    assert Ticket.objects.count() == 3 and len(mail.outbox) == 3
    # Another sender is not held back by the first.
    assert receive(message(sender="other@example.fr")).outcome == MailOutcome.NEW_TICKET


def test_html_only_mail_becomes_text(central, receive) -> None:  # type: ignore[no-untyped-def]
    html = (
        "<html><body><p>Bonjour,</p><p>Le <b>formulaire</b> ne s'affiche pas.</p>"
        "<script>alert(1)</script></body></html>"
    )
    ticket = receive(message(html=html)).ticket
    body = ticket.articles.first().body
    assert "Le **formulaire** ne s'affiche pas." in body and "<p>" not in body and "alert" not in body


@pytest.mark.parametrize(
    ("charset", "text", "language"),
    [
        ("iso-8859-1", "Bonjour, où se trouve le formulaire des besoins ? Merci beaucoup.", "fr"),
        ("shift_jis", "国家のニーズ評価のフォームはどこですか。", None),
        ("utf-16", "Здравствуйте, где найти форму оценки потребностей?", "ru"),
    ],
)
def test_legacy_charsets_are_read(central, receive, charset, text, language) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(encoded(text, charset)).ticket
    assert ticket.articles.first().body.strip() == text
    if language:
        assert ticket.language == language


def test_undecodable_text_becomes_replacement_characters(central, receive) -> None:  # type: ignore[no-untyped-def]
    raw = (
        b"From: a@example.org\r\nTo: helpdesk@clearinghouse.example\r\nSubject: =?x-unknown?q?Hi?=\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\n"
        b"Hello \xff\xfe there, need help please.\r\n"
    )
    received = receive(raw)
    assert received.outcome == MailOutcome.NEW_TICKET
    assert "\ufffd" in received.ticket.articles.first().body


def test_a_message_without_subject_gets_one_in_its_language(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message(subject=None)).ticket
    assert ticket.subject == "(sans objet)"


def test_a_dangerous_attachment_is_refused_and_reported(central, receive) -> None:  # type: ignore[no-untyped-def]
    raw = message(
        files=[
            ("facture.pdf.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"),
            ("notes.txt", b"Liste des besoins", "text/plain"),
        ]
    )
    ticket = receive(raw).ticket
    [kept] = ticket.articles.get(kind=Kind.MESSAGE).attachments.all()
    assert kept.name == "notes.txt"
    note = ticket.articles.get(kind=Kind.NOTE)
    assert "facture.pdf.exe" in note.body
    [acknowledgement] = mail.outbox
    assert (
        "facture.pdf.exe" in acknowledgement.body and "Les programmes ne peuvent pas" in acknowledgement.body
    )


@override_settings(HELPDESK_MAIL_MAX_ATTACHMENTS=1)
def test_files_beyond_the_limit_are_refused(central, receive) -> None:  # type: ignore[no-untyped-def]
    raw = message(files=[("a.txt", b"one", "text/plain"), ("b.txt", b"two", "text/plain")])
    ticket = receive(raw).ticket
    assert ticket.articles.get(kind=Kind.MESSAGE).attachments.count() == 1
    assert "b.txt" in ticket.articles.get(kind=Kind.NOTE).body


def test_refused_files_on_a_reply_are_told_to_the_requester(central, receive) -> None:  # type: ignore[no-untyped-def]
    ticket = receive(message()).ticket
    mail.outbox.clear()
    receive(
        message(
            "Voici le fichier.",
            subject=f"Re: [{ticket.reference}]",
            files=[("page.html", b"<html><script>x</script></html>", "text/html")],
        )
    )
    [told] = mail.outbox
    assert "page.html" in told.body and told.to == ["amelie@example.fr"]


def test_a_message_that_fails_is_kept_as_rejected_and_can_be_processed_again(
    world, central, receive, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("routing is down")

    monkeypatch.setattr(services, "open_ticket", broken)
    raw = message()
    received = receive(raw)
    assert received.outcome == MailOutcome.REJECTED and "routing is down" in received.detail
    assert bytes(received.raw) == raw
    assert Ticket.objects.count() == 0
    monkeypatch.undo()
    with pytest.raises(services.NotAllowed):
        mail_in.process_again(received, actor=world.outsider)
    again = mail_in.process_again(received, actor=world.helpdesk_agent)
    assert again.outcome == MailOutcome.NEW_TICKET and Ticket.objects.count() == 1


@override_settings(HELPDESK_MAIL_MAX_BYTES=2000)
def test_a_huge_message_by_pipe_or_imap_is_kept_but_not_processed(central, receive) -> None:  # type: ignore[no-untyped-def]
    received = receive(message("x" * 5000))
    assert received.outcome == MailOutcome.REJECTED and received.size > 5000
    assert len(bytes(received.raw)) == 2000 and Ticket.objects.count() == 0


def test_the_new_part_of_a_reply_is_kept_and_all_of_a_fully_quoted_one() -> None:
    assert mail_in.strip_quoted("Yes.\n\nOn Mon, 2 Mar 2026, Desk wrote:\n> Question?") == "Yes."
    assert mail_in.strip_quoted("Oui.\n-----Original Message-----\nFrom: desk") == "Oui."
    assert mail_in.strip_quoted("> only quoted") == "> only quoted"


def test_a_merged_ticket_passes_mail_on(world, central, receive) -> None:  # type: ignore[no-untyped-def]
    first = receive(message()).ticket
    second = receive(message("Même question.", subject="Formulaire, encore")).ticket
    services.merge(second, into=first, actor=world.helpdesk_agent)
    received = receive(message("Alors ?", subject=f"Re: [{second.reference}]"))
    assert received.ticket == first and Article.objects.filter(ticket=first, body="Alors ?").exists()


# ---------------------------------------------------------------------------------------------
# The page of mail received


def test_the_central_desk_and_the_secretariat_see_the_mail_received(world, central, receive, client) -> None:  # type: ignore[no-untyped-def]
    receive(message())
    for person, status in [(world.helpdesk_agent, 200), (world.secretariat, 200), (world.focal_point, 403)]:
        client.force_login(person)
        response = client.get("/helpdesk/mail/")
        assert response.status_code == status
    client.force_login(world.helpdesk_agent)
    assert "amelie@example.fr" in client.get("/helpdesk/mail/?outcome=new_ticket").content.decode()
    assert "amelie@example.fr" not in client.get("/helpdesk/mail/?outcome=rejected").content.decode()


def test_an_agent_processes_rejected_mail_again_from_the_page(
    world, central, receive, client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "open_ticket", lambda *args, **kwargs: 1 / 0)
    received = receive(message())
    monkeypatch.undo()
    client.force_login(world.focal_point)
    assert client.post(f"/helpdesk/mail/{received.pk}/process/").status_code == 403
    client.force_login(world.helpdesk_agent)
    assert "Process again" in client.get("/helpdesk/mail/").content.decode()
    response = client.post(f"/helpdesk/mail/{received.pk}/process/")
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.outcome == MailOutcome.NEW_TICKET


def test_raw_eight_bit_headers_are_read_with_replacement_characters(central, receive) -> None:  # type: ignore[no-untyped-def]
    raw = (
        b"From: Ren\xe9 <rene@example.fr>\r\nTo: helpdesk@clearinghouse.example\r\n"
        b"Subject: Caf\xe9 \xff formulaire\r\n\r\nBonjour, le formulaire des besoins ne marche pas.\r\n"
    )
    received = receive(raw)
    assert received.outcome == MailOutcome.NEW_TICKET
    assert received.ticket.subject == "Caf\ufffd \ufffd formulaire" and received.sender == "rene@example.fr"


def test_the_same_message_received_twice_is_added_once(central, receive) -> None:  # type: ignore[no-untyped-def]
    raw = message()
    first = receive(raw)
    again = receive(raw)
    assert again.outcome == MailOutcome.LOOP and again.ticket == first.ticket
    assert Ticket.objects.count() == 1 and len(mail.outbox) == 1
