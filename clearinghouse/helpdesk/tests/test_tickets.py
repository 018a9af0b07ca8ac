"""The ticket's life in services.py: opened and routed, answered, waited on, reopened,
merged, rated; the clock paused while waiting; mail in the requester's language."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from clearinghouse.helpdesk import services
from clearinghouse.helpdesk.models import Kind, Status, Ticket
from clearinghouse.helpdesk.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


def test_a_question_opens_a_ticket_with_a_reference_and_an_acknowledgement_in_its_language(
    central,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.ticket(language="fr", subject="Formulaire des besoins", requester_name="Amélie")
    assert ticket.reference.startswith(f"HD-{timezone.now().year}-")
    assert ticket.status == Status.NEW and ticket.desk == central
    assert ticket.first_response_due is not None and ticket.resolution_due > ticket.first_response_due
    [acknowledgement] = mail.outbox
    assert acknowledgement.subject.startswith(f"[{ticket.reference}]")
    assert "Formulaire des besoins" in acknowledgement.subject
    assert ticket.reference in acknowledgement.body and "Bonjour Amélie" in acknowledgement.body
    # The body is the French translation, not the English source with a French greeting.
    assert "référence" in acknowledgement.body
    assert acknowledgement.extra_headers["Auto-Submitted"] == "auto-replied"


def test_references_follow_each_other(central) -> None:  # type: ignore[no-untyped-def]
    first, second = factories.ticket(), factories.ticket()
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_a_question_without_an_address_or_text_is_refused(central) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.HelpdeskError) as refused:
        factories.ticket(requester_email="not an address")
    assert "requester_email" in refused.value.message_dict
    with pytest.raises(services.HelpdeskError):
        factories.ticket(body="   ")
    assert not Ticket.objects.exists()


def test_a_reply_waits_for_the_requester_and_their_answer_resumes_the_clock(world, central) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket()
    services.reply(ticket, agent=world.helpdesk_agent, body="Use the form under My work.")
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING and ticket.first_response_at is not None
    assert ticket.assigned_to == world.helpdesk_agent
    due = ticket.resolution_due
    Ticket.objects.filter(pk=ticket.pk).update(waiting_since=timezone.now() - timedelta(hours=3))
    services.add_message(ticket, body="Found it, thank you, one more question.", channel="web")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.waiting_since is None
    assert ticket.resolution_due - due >= timedelta(hours=2, minutes=59)
    assert ticket.paused_seconds >= 3 * 3600 - 60


def test_only_the_desks_agents_work_on_its_tickets(world, central) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket()
    with pytest.raises(services.NotAllowed):
        services.reply(ticket, agent=world.outsider, body="Hello")
    services.note(ticket, agent=world.secretariat, body="The Secretariat may always help.")
    assert ticket.articles.filter(kind=Kind.NOTE).count() == 1


def test_a_closed_ticket_reopens_within_the_period_and_not_after(world, central) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket()
    services.reply(ticket, agent=world.helpdesk_agent, body="Done.", then=Status.CLOSED)
    services.add_message(ticket, body="It does not work after all.", channel="email")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN and ticket.closed_at is None
    services.close(ticket, actor=world.helpdesk_agent)
    Ticket.objects.filter(pk=ticket.pk).update(closed_at=timezone.now() - timedelta(days=30))
    with pytest.raises(services.TicketClosedError):
        services.add_message(ticket, body="Another thing.", channel="email")


def test_merging_moves_the_messages_and_later_mail_follows(world, central) -> None:  # type: ignore[no-untyped-def]
    kept, duplicate = factories.ticket(), factories.ticket(body="The same question again.")
    services.merge(duplicate, into=kept, actor=world.helpdesk_agent)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == kept
    assert kept.articles.count() == 2
    services.add_message(duplicate, body="Any news?", channel="email")
    assert kept.articles.count() == 3


def test_rating_a_closed_ticket(world, central) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket()
    with pytest.raises(services.HelpdeskError):
        services.rate(ticket, satisfaction=5)
    services.close(ticket, actor=world.helpdesk_agent)
    services.rate(ticket, satisfaction=4, comment="Quick and clear.")
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.satisfaction_comment) == (4, "Quick and clear.")
    with pytest.raises(services.HelpdeskError):
        services.rate(ticket, satisfaction=9)


def test_routing_prefers_the_desk_that_serves_the_party(world, central) -> None:  # type: ignore[no-untyped-def]
    africa = factories.desk("africa", countries=[world.kenya], languages=["en", "fr"])
    assert factories.ticket(country=world.kenya).desk == africa
    assert factories.ticket(country=world.tanzania).desk == central
    assert factories.ticket().desk == central


def test_transfer_takes_the_new_desks_targets(world, central) -> None:  # type: ignore[no-untyped-def]
    slow = factories.desk("slow")
    slow.service_levels.update(first_response_hours=40, resolution_hours=80)
    ticket = factories.ticket()
    services.transfer(ticket, actor=world.helpdesk_agent, desk=slow)
    ticket.refresh_from_db()
    assert ticket.desk == slow and ticket.first_response_due - ticket.created_at > timedelta(hours=40)


def test_the_acknowledgement_promises_the_first_response_in_the_desks_time(
    world,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    factories.desk("central", time_zone="Africa/Nairobi", opening_hours=factories.ALWAYS_OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.ticket()
    [acknowledgement] = mail.outbox
    local = timezone.localtime(ticket.first_response_due, ZoneInfo("Africa/Nairobi"))
    promised = f"{date_format(local, 'DATETIME_FORMAT')} (Africa/Nairobi time)"
    assert promised in acknowledgement.body.replace("\n", " ")
