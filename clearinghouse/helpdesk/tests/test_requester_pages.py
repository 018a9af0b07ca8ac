"""The requester's pages: their questions (asked signed in or by e-mail from their address),
the public conversation of each (never the internal notes), writing again, and the rating —
by one click from the e-mail, confirmed before anything changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clearinghouse.helpdesk import mail_out, services
from clearinghouse.helpdesk.models import Attachment, Kind, Status, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_public import program, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


@pytest.fixture
def asked(world, central):  # type: ignore[no-untyped-def]
    """The Kenyan focal point's question, answered, with an internal note between agents."""
    ticket = factories.ticket(requester=world.focal_point, requester_email="", subject="Needs form")
    services.note(
        ticket,
        agent=world.helpdesk_agent,
        body="Secret: the form is broken for Kenya.",
        files=[services.File("internal.txt", b"agents only", "text/plain")],
    )
    services.reply(
        ticket,
        agent=world.helpdesk_agent,
        body="The form is under My work.",
        files=[services.File("guide.txt", b"open My work", "text/plain")],
    )
    return ticket


def page_of(ticket: Ticket) -> str:
    return f"/en/helpdesk/mine/{ticket.reference}/"


def test_my_ticket_shows_the_conversation_but_never_internal_notes(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.focal_point)
    text = client.get(page_of(asked)).content.decode()
    assert "The form is under My work." in text and "I cannot find the form" in text
    assert "Secret" not in text and "internal.txt" not in text
    assert "guide.txt" in text
    assert "Waiting for the requester" in text


def test_the_requester_downloads_files_of_public_messages_only(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.focal_point)
    guide = Attachment.objects.get(name="guide.txt")
    internal = Attachment.objects.get(name="internal.txt")
    response = client.get(f"{page_of(asked)}files/{guide.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"open My work"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"{page_of(asked)}files/{internal.pk}/").status_code == 404


def test_other_people_find_no_such_ticket(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    guide = Attachment.objects.get(name="guide.txt")
    for person in (world.outsider, world.other_focal_point, world.helpdesk_agent):
        client.force_login(person)
        assert client.get(page_of(asked)).status_code == 404
        assert client.get(f"{page_of(asked)}files/{guide.pk}/").status_code == 404
        assert client.post(page_of(asked), {"action": "message", "body": "Hijack"}).status_code == 404
    client.logout()
    assert client.get(page_of(asked)).status_code == 302  # to sign in
    assert asked.articles.filter(kind=Kind.MESSAGE).count() == 1


def test_my_questions_lists_those_asked_signed_in_and_by_e_mail_from_my_address(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    by_mail = factories.ticket(requester_email="Wanjiru@Example.org", subject="Asked by e-mail")
    someone_else = factories.ticket(requester_email="stranger@example.org", subject="Not hers")
    client.force_login(world.focal_point)
    text = client.get("/en/helpdesk/mine/").content.decode()
    assert asked.reference in text and by_mail.reference in text
    assert someone_else.reference not in text
    assert client.get(page_of(by_mail)).status_code == 200


def test_an_unverified_address_gives_no_access_to_tickets_asked_from_it(client, world, central) -> None:  # type: ignore[no-untyped-def]
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=world.outsider, email="claimed@example.org", verified=False)
    ticket = factories.ticket(requester_email="claimed@example.org")
    client.force_login(world.outsider)
    assert client.get(page_of(ticket)).status_code == 404


def test_the_workspace_leads_to_my_questions_and_to_the_question_form(client, world) -> None:  # type: ignore[no-untyped-def]
    # Not a header place: telling whether someone has tickets would cost every page a query.
    client.force_login(world.learner)
    text = client.get("/en/work/").content.decode()
    assert 'href="/en/helpdesk/mine/"' in text and 'href="/en/helpdesk/ask/"' in text


def test_writing_again_resumes_the_clock(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    assert Ticket.objects.get(pk=asked.pk).status == Status.WAITING
    Ticket.objects.filter(pk=asked.pk).update(waiting_since=timezone.now() - timedelta(hours=2))
    due = Ticket.objects.get(pk=asked.pk).resolution_due
    client.force_login(world.focal_point)
    response = client.post(
        page_of(asked),
        {"action": "message", "body": "Found it. And the offers form?", "attachments": [text_file()]},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=asked.pk)
    assert ticket.status == Status.OPEN and ticket.waiting_since is None
    assert ticket.resolution_due - due >= timedelta(hours=1, minutes=59)
    last = ticket.articles.order_by("-pk").first()
    assert last.kind == Kind.MESSAGE and last.author == world.focal_point
    assert [item.name for item in last.attachments.all()] == ["steps.txt"]


def test_a_dangerous_file_on_a_message_is_refused_and_nothing_added(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.focal_point)
    response = client.post(
        page_of(asked), {"action": "message", "body": "See the tool", "attachments": [program()]}
    )
    assert response.status_code == 400
    assert "Programs cannot be uploaded." in response.content.decode()
    assert asked.articles.filter(kind=Kind.MESSAGE).count() == 1


def test_writing_long_after_the_close_opens_a_new_ticket_that_names_the_old_one(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    services.close(asked, actor=world.helpdesk_agent)
    Ticket.objects.filter(pk=asked.pk).update(closed_at=timezone.now() - timedelta(days=60))
    client.force_login(world.focal_point)
    assert "A message now opens a new question" in client.get(page_of(asked)).content.decode()
    response = client.post(page_of(asked), {"action": "message", "body": "The problem is back."})
    follow_up = Ticket.objects.exclude(pk=asked.pk).get()
    assert response.status_code == 302 and response["Location"].endswith(page_of(follow_up))
    assert asked.reference in follow_up.subject and follow_up.requester == world.focal_point
    assert Ticket.objects.get(pk=asked.pk).status == Status.CLOSED
    assert follow_up.reference in client.get(response["Location"]).content.decode()


def test_writing_soon_after_the_close_reopens_it(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    services.close(asked, actor=world.helpdesk_agent)
    client.force_login(world.focal_point)
    client.post(page_of(asked), {"action": "message", "body": "Not solved after all."})
    assert Ticket.objects.get(pk=asked.pk).status == Status.OPEN
    assert Ticket.objects.count() == 1


def rate_url(ticket: Ticket, score: int, token: str | None = None) -> str:
    return f"/en/helpdesk/rate/{token or mail_out.rating_token(ticket)}/{score}/"


def test_following_a_rating_link_changes_nothing_until_confirmed(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    services.close(asked, actor=world.helpdesk_agent)
    url = rate_url(asked, 4)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["satisfaction"].value() == 4
    assert Ticket.objects.get(pk=asked.pk).rated_at is None
    response = client.post(url, {"satisfaction": "5", "comment": "Quick and clear."})
    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=asked.pk)
    assert ticket.satisfaction == 5 and ticket.satisfaction_comment == "Quick and clear."
    assert "You rated it 5 out of 5" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "HD-2026-000001",
        "IkhELTIwMjYtMDAwMDAxIg:1vAAAA:forgedsignatureforgedsignature00",
    ],
)
def test_a_forged_rating_link_is_refused_and_records_nothing(client, world, asked, token: str) -> None:  # type: ignore[no-untyped-def]
    services.close(asked, actor=world.helpdesk_agent)
    for response in (
        client.get(rate_url(asked, 1, token)),
        client.post(rate_url(asked, 1, token), {"satisfaction": "1"}),
    ):
        assert response.status_code == 400
        assert "This rating link does not work" in response.content.decode()
    assert Ticket.objects.get(pk=asked.pk).rated_at is None


def test_a_rating_link_to_a_reopened_ticket_explains_and_records_nothing(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    url = rate_url(asked, 2)
    assert "open again" in client.get(url).content.decode()
    client.post(url, {"satisfaction": "2"})
    assert Ticket.objects.get(pk=asked.pk).rated_at is None


def test_the_requester_rates_from_the_ticket_page(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    services.close(asked, actor=world.helpdesk_agent)
    client.force_login(world.focal_point)
    assert "Rate the help you received" in client.get(page_of(asked)).content.decode()
    client.post(page_of(asked), {"action": "rate", "satisfaction": "3"})
    assert Ticket.objects.get(pk=asked.pk).satisfaction == 3


def test_a_merged_ticket_leads_to_the_one_it_went_into(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    second = factories.ticket(requester=world.focal_point, requester_email="", subject="Same again")
    services.merge(second, into=asked, actor=world.helpdesk_agent)
    client.force_login(world.focal_point)
    response = client.get(page_of(second))
    assert response.status_code == 302 and response["Location"].endswith(page_of(asked))


def test_the_ticket_page_reads_right_to_left_in_arabic(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.focal_point)
    text = client.get(f"/ar/helpdesk/mine/{asked.reference}/").content.decode()
    assert 'dir="rtl"' in text and "المحادثة" in text


def test_an_empty_message_is_refused_with_a_clear_error(client, world, asked) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.focal_point)
    response = client.post(page_of(asked), {"action": "message", "body": "   "})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert asked.articles.filter(kind=Kind.MESSAGE).count() == 1
