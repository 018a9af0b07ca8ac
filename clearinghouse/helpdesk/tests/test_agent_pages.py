"""The agents' pages: each agent sees their desks' queues only, filters them, and works a ticket
through plain forms: reply (then wait), canned answers in the ticket's language, internal notes,
attachments checked like resources' files, assign, transfer, merge, link, follow; and a ticket
opened for someone who called. The queue's cost does not grow with its tickets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import (
    Article,
    Attachment,
    Channel,
    Desk,
    EventKind,
    Kind,
    Status,
    Ticket,
)
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_agent import canned, regional_desk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def central(world: World) -> Desk:
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


@pytest.fixture
def africa(world: World, central: Desk) -> Desk:
    # The trainer works for a partner institution's desk only: no help-desk role at all.
    return regional_desk(world.trainer, name={"en": "Africa desk"})


def _page(client: Client, path: str, **data: Any) -> str:
    response = client.get(path, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _act(client: Client, ticket: Ticket, action: str, **data: Any) -> Any:
    return client.post(f"/en/helpdesk/tickets/{ticket.reference}/{action}/", data)


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_an_agent_sees_only_their_desks_queues(
    world: World, central: Desk, africa: Desk, client: Client
) -> None:
    at_centre = factories.ticket(subject="A question for the centre")
    in_africa = factories.ticket(subject="A question for the region", desk=africa)
    client.force_login(world.trainer)
    home = _page(client, "/en/helpdesk/")
    assert "Africa desk" in home and "/en/helpdesk/desks/africa/" in home
    assert "/en/helpdesk/desks/central/" not in home
    queue = _page(client, "/en/helpdesk/desks/africa/")
    assert in_africa.reference in queue and at_centre.reference not in queue
    assert client.get("/en/helpdesk/desks/central/").status_code == 403
    assert client.get(at_centre.get_absolute_url()).status_code == 403
    # The central desk's agents work every desk.
    client.force_login(world.helpdesk_agent)
    assert in_africa.reference in _page(client, "/en/helpdesk/desks/africa/")


@pytest.mark.parametrize("person", ["outsider", "focal_point", "learner"])
def test_people_who_work_no_desk_are_refused(
    world: World, central: Desk, client: Client, person: str
) -> None:
    ticket = factories.ticket()
    client.force_login(getattr(world, person))
    assert client.get("/en/helpdesk/").status_code == 403
    assert client.get("/en/helpdesk/desks/central/").status_code == 403
    assert client.get(ticket.get_absolute_url()).status_code == 403
    assert _act(client, ticket, "note", body="Let me in").status_code == 403
    assert not ticket.articles.filter(kind=Kind.NOTE).exists()


def test_the_help_desk_asks_to_sign_in(central: Desk, client: Client) -> None:
    response = client.get("/en/helpdesk/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_header_offers_the_help_desk_to_agents_and_the_secretariat(
    world: World, central: Desk, client: Client
) -> None:
    for person, shown in (("helpdesk_agent", True), ("secretariat", True), ("outsider", False)):
        client.force_login(getattr(world, person))
        assert ('href="/en/helpdesk/"' in client.get("/en/").content.decode()) is shown, person


def test_the_home_page_counts_each_desks_tickets(world: World, central: Desk, client: Client) -> None:
    mine = factories.ticket()
    services.assign(mine, actor=world.helpdesk_agent, agent=world.helpdesk_agent)
    late = factories.ticket()
    Ticket.objects.filter(pk=late.pk).update(first_response_due=timezone.now() - timedelta(hours=1))
    factories.ticket()
    [counts] = services.desk_counts([central], world.helpdesk_agent, timezone.now())
    assert (counts.active, counts.mine, counts.unassigned, counts.overdue) == (3, 1, 2, 1)
    client.force_login(world.helpdesk_agent)
    assert "?overdue=on" in _page(client, "/en/helpdesk/")


# ---------------------------------------------------------------------------------------------
# The queue


def test_the_queue_filters_and_sorts_by_resolution_due(world: World, central: Desk, client: Client) -> None:
    french = factories.ticket(subject="Question en français", language="fr")
    arabic = factories.ticket(subject="سؤال بالعربية", language="ar")
    spanish = factories.ticket(subject="Pregunta urgente", language="es")
    Ticket.objects.filter(pk=spanish.pk).update(resolution_due=timezone.now() - timedelta(hours=2))
    services.assign(arabic, actor=world.helpdesk_agent, agent=world.helpdesk_agent)
    services.reply(french, agent=world.secretariat, body="Voici la réponse.")
    client.force_login(world.helpdesk_agent)

    page = _page(client, "/en/helpdesk/desks/central/")
    # The ticket overdue for resolution first, and marked as such.
    assert page.index(spanish.reference) < page.index(french.reference)
    assert "sla-overdue" in page

    def listed(**filters: str) -> set[str]:
        shown = _page(client, "/en/helpdesk/desks/central/", **filters)
        return {ticket.reference for ticket in (french, arabic, spanish) if ticket.reference in shown}

    assert listed(language="fr") == {french.reference}
    assert listed(assigned="me") == {arabic.reference}
    assert listed(assigned="nobody") == {spanish.reference}
    assert listed(status="waiting") == {french.reference}
    assert listed(overdue="on") == {spanish.reference}


def test_the_queue_costs_the_same_few_queries_for_thirty_tickets(
    world: World, central: Desk, client: Client, django_assert_max_num_queries: Any
) -> None:
    topic = factories.topic("needs-form")
    for number in range(30):
        ticket = factories.ticket(
            subject=f"Question {number}",
            topic=topic if number % 2 else None,
            country=world.kenya if number % 3 else None,
            language=["en", "fr", "ar"][number % 3],
        )
        if number % 4 == 0:
            services.reply(ticket, agent=world.helpdesk_agent, body="On it.")
    client.force_login(world.helpdesk_agent)
    client.get("/en/helpdesk/desks/central/")
    # The session, the person, their roles and second factor, their desks, the count and the
    # page of tickets with what each row shows, the desk's closed days and service levels, the
    # topics to filter by, and the header's places (permissions, registrations...): never a
    # query per ticket.
    with django_assert_max_num_queries(16):
        response = client.get("/en/helpdesk/desks/central/")
    assert response.content.decode().count("/en/helpdesk/tickets/HD-") == 30


# ---------------------------------------------------------------------------------------------
# Working on a ticket


def test_a_reply_is_sent_and_waits_for_the_requester(
    world: World, central: Desk, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, ticket, "reply", body="The form is under My work.", then="waiting")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING and ticket.waiting_since is not None
    assert [message.to for message in mail.outbox] == [["asker@example.org"]]
    assert "The form is under My work." in mail.outbox[0].body
    # The page says the resolution clock is paused.
    assert "Paused: waiting for the requester" in _page(client, ticket.get_absolute_url())


def test_an_empty_reply_comes_back_with_its_error(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    response = _act(client, ticket, "reply", body="", then="waiting")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ticket.articles.filter(kind=Kind.REPLY).exists()


def test_a_canned_answer_is_inserted_in_the_tickets_language_with_name_and_reference(
    world: World, central: Desk, client: Client
) -> None:
    ticket = factories.ticket(language="fr", requester_name="Amélie Dubois")
    answer = canned(
        {
            "en": "Hello {name}, about {reference}: see the form.",
            "fr": "Bonjour {name}, au sujet de {reference} : voyez le formulaire.",
        }
    )
    client.force_login(world.helpdesk_agent)
    page = _act(client, ticket, "canned", canned_answer=answer.pk).content.decode()
    assert f"Bonjour Amélie Dubois, au sujet de {ticket.reference} : voyez le formulaire." in page
    assert "Hello" not in page
    # With htmx, only the reply box comes back, filled in.
    partial = client.post(
        f"/en/helpdesk/tickets/{ticket.reference}/canned/",
        {"canned_answer": answer.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert partial.startswith('<div id="reply-box">') and "<html" not in partial
    assert f"Bonjour Amélie Dubois, au sujet de {ticket.reference}" in partial
    assert f'name="canned_answer" value="{answer.pk}"' in partial
    # Sent, the reply remembers the canned answer it came from.
    _act(client, ticket, "reply", body="Bonjour Amélie", then="waiting", canned_answer=answer.pk)
    assert Article.objects.get(ticket=ticket, kind=Kind.REPLY).canned_answer == answer


def test_a_canned_answer_missing_in_the_tickets_language_falls_back_to_english_and_says_so(
    world: World, central: Desk, client: Client
) -> None:
    ticket = factories.ticket(language="ar", requester_name="سلمى")
    answer = canned({"en": "Hello {name}, see the form.", "es": "Hola {name}."})
    client.force_login(world.helpdesk_agent)
    page = _act(client, ticket, "canned", canned_answer=answer.pk).content.decode()
    assert "Hello سلمى, see the form." in page
    assert "This answer is not written in Arabic yet: it was inserted in English." in page


def test_another_desks_canned_answer_cannot_be_used(
    world: World, central: Desk, africa: Desk, client: Client
) -> None:
    ticket = factories.ticket()
    theirs = canned({"en": "Only for Africa."}, desk=africa, title={"en": "Regional answer"})
    canned({"en": "For everyone."}, title={"en": "Shared answer"})
    client.force_login(world.helpdesk_agent)
    page = _page(client, ticket.get_absolute_url())
    assert "Shared answer" in page and "Regional answer" not in page
    _act(client, ticket, "reply", body="Hi", then="open", canned_answer=theirs.pk)
    assert not ticket.articles.filter(kind=Kind.REPLY).exists()


def test_an_internal_note_is_never_sent_to_the_requester(
    world: World, central: Desk, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, ticket, "note", body="Ask the Kenyan focal point first.")
    [note] = ticket.articles.filter(kind=Kind.NOTE)
    assert not note.is_public and note.body == "Ask the Kenyan focal point first."
    assert mail.outbox == []
    assert 'class="article-note"' in _page(client, ticket.get_absolute_url())
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_a_program_is_refused_as_an_attachment_with_a_clear_message(
    world: World, central: Desk, client: Client
) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream")
    response = _act(client, ticket, "note", body="Here is the installer.", attachments=program)
    page = response.content.decode()
    assert response.status_code == 200
    assert "setup.exe was not attached: Programs cannot be uploaded." in page
    # Nothing half-saved: neither the note nor the file.
    assert not ticket.articles.filter(kind=Kind.NOTE).exists()
    assert not Attachment.objects.exists()


def test_an_attachment_is_downloaded_by_the_desks_agents_only(
    world: World, central: Desk, africa: Desk, client: Client
) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    text = SimpleUploadedFile("steps.txt", b"1. Sign in\n2. Open My work\n", "text/plain")
    _act(client, ticket, "reply", body="The steps are attached.", then="open", attachments=text)
    [attachment] = Attachment.objects.all()
    assert attachment.name == "steps.txt"
    download = client.get(f"/en/helpdesk/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"1. Sign in\n2. Open My work\n"  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]
    client.force_login(world.trainer)  # the Africa desk's agent: not this ticket's desk
    assert client.get(f"/en/helpdesk/attachments/{attachment.pk}/").status_code == 403


def test_too_many_attachments_are_refused(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    files = [SimpleUploadedFile(f"n{number}.txt", b"note", "text/plain") for number in range(6)]
    page = _act(client, ticket, "note", body="Six files", attachments=files).content.decode()
    assert "Attach at most 5 files to one message." in page
    assert not ticket.articles.filter(kind=Kind.NOTE).exists()


def test_assign_to_me_then_to_nobody(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    _act(client, ticket, "assign", to="me")
    ticket.refresh_from_db()
    assert ticket.assigned_to == world.helpdesk_agent
    _act(client, ticket, "assign", agent="")
    ticket.refresh_from_db()
    assert ticket.assigned_to is None
    # Someone who is not an agent of the desk is not offered, and not taken.
    _act(client, ticket, "assign", agent=world.outsider.pk)
    ticket.refresh_from_db()
    assert ticket.assigned_to is None


def test_transfer_to_another_desk_with_a_reason(
    world: World, central: Desk, africa: Desk, client: Client
) -> None:
    ticket = factories.ticket()
    topic = factories.topic("regional-training")
    client.force_login(world.helpdesk_agent)
    response = _act(client, ticket, "transfer", desk=africa.pk, topic=topic.pk, reason="Asked in Nairobi")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.desk == africa and ticket.topic == topic
    assert ticket.events.filter(kind=EventKind.TRANSFERRED, detail__contains="Asked in Nairobi").exists()


def test_set_status_and_follow(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    _act(client, ticket, "status", status="closed")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    _act(client, ticket, "follow", following="1")
    assert ticket.followers.filter(pk=world.helpdesk_agent.pk).exists()
    assert "Stop following" in _page(client, ticket.get_absolute_url())
    _act(client, ticket, "follow", following="0")
    assert not ticket.followers.exists()


def test_merge_into_another_ticket_by_its_reference(world: World, central: Desk, client: Client) -> None:
    first = factories.ticket(subject="Needs form")
    duplicate = factories.ticket(subject="Needs form, again", body="Same question by e-mail.")
    client.force_login(world.helpdesk_agent)
    response = _act(client, duplicate, "merge", reference=first.reference.lower())
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == first
    assert "Same question by e-mail." in _page(client, first.get_absolute_url())
    # The merged ticket's page points to the other.
    assert f"This ticket was merged into {first.reference}." in _page(client, duplicate.get_absolute_url())


def test_merge_into_an_unknown_reference_says_so(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    page = _act(client, ticket, "merge", reference="HD-2020-999999").content.decode()
    assert "No ticket of your desks has the reference HD-2020-999999." in page
    page = _act(client, ticket, "merge", reference=ticket.reference).content.decode()
    assert "A ticket cannot be merged into itself." in page
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_linking_an_unknown_record_says_so(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    page = _act(client, ticket, "link", identifier="CBN-NEED-KE-99999").content.decode()
    assert "No record has the identifier CBN-NEED-KE-99999." in page
    assert not ticket.record_links.exists()


def test_the_ticket_page_shows_the_requester_and_the_targets_in_the_desks_time_zone(
    world: World, client: Client
) -> None:
    desk = factories.desk(
        "central",
        agents=[world.helpdesk_agent],
        opening_hours=factories.ALWAYS_OPEN,
        time_zone="Africa/Nairobi",
    )
    ticket = factories.ticket(
        desk=desk, country=world.kenya, organisation=world.kenyan_ngo, page="/en/needs/new/", language="fr"
    )
    client.force_login(world.helpdesk_agent)
    page = _page(client, ticket.get_absolute_url())
    for fact in ("Ada Asker", "asker@example.org", "Kenya", "Nature Kenya", "/en/needs/new/", "French"):
        assert fact in page
    assert "Times in the desk's time zone (Africa/Nairobi)" in page
    assert "First response: On track" in page
    assert "Opened" in page  # the history


def test_the_ticket_page_reads_right_to_left_in_arabic(world: World, central: Desk, client: Client) -> None:
    ticket = factories.ticket()
    client.force_login(world.helpdesk_agent)
    page = _page(client, f"/ar/helpdesk/tickets/{ticket.reference}/")
    assert 'dir="rtl"' in page


# ---------------------------------------------------------------------------------------------
# A ticket opened for someone


def test_an_agent_opens_a_ticket_for_someone_who_called(
    world: World, central: Desk, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.helpdesk_agent)
    assert "What they asked" in _page(client, "/en/helpdesk/new/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/helpdesk/new/",
            {
                "channel": Channel.PHONE,
                "requester_name": "Joseph Mwangi",
                "requester_email": "joseph@example.org",
                "country": world.kenya.pk,
                "language": "en",
                "subject": "Help with our national report",
                "body": "He called about the capacity needs section.",
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.channel == Channel.PHONE and ticket.country == world.kenya
    assert ticket.opened_by == world.helpdesk_agent and ticket.desk == central
    # No acknowledgement unless the agent asks for one.
    assert mail.outbox == []


def test_a_ticket_for_someone_by_their_account(world: World, central: Desk, client: Client) -> None:
    client.force_login(world.helpdesk_agent)
    client.post(
        "/en/helpdesk/new/",
        {
            "channel": Channel.MEETING,
            "requester": world.focal_point.email,
            "language": "en",
            "subject": "Met at the workshop",
            "body": "Wants a partner for taxonomy training.",
        },
    )
    assert Ticket.objects.get().requester == world.focal_point


def test_a_ticket_for_someone_needs_a_way_to_answer_them(world: World, central: Desk, client: Client) -> None:
    client.force_login(world.helpdesk_agent)
    response = client.post(
        "/en/helpdesk/new/",
        {"channel": Channel.PHONE, "language": "en", "subject": "A call", "body": "Asked about events."},
    )
    assert (
        "Give the person&#x27;s e-mail address, or the address of their account." in response.content.decode()
    )
    page = client.post(
        "/en/helpdesk/new/",
        {
            "channel": Channel.PHONE,
            "requester": "nobody@example.org",
            "language": "en",
            "subject": "A call",
            "body": "Asked about events.",
        },
    ).content.decode()
    assert "No account has this e-mail address." in page
    assert not Ticket.objects.exists()


def test_a_page_passed_along_becomes_a_link_only_when_it_is_a_web_page(
    world: World, central: Desk, client: Client
) -> None:
    ticket = factories.ticket(page="javascript:alert(1)")
    client.force_login(world.helpdesk_agent)
    page = _page(client, ticket.get_absolute_url())
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page
