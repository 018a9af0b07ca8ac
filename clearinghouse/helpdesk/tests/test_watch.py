"""The service-level watch (tasks.watch): warns once before a target is missed, marks and
escalates once when it is, leaves waiting tickets alone, and reads a bounded number of queries
however many tickets it watches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearinghouse.helpdesk import services, tasks
from clearinghouse.helpdesk.models import EventKind, ServiceLevel, Status, Ticket
from clearinghouse.helpdesk.tests import factories

pytestmark = pytest.mark.django_db

# A Wednesday at 10:00 UTC, within the factories' desks' hours (Monday–Friday 09:00–17:00 UTC);
# their level: first response in 4 hours, resolution in 16, warned at 75 %.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    desk = factories.desk("central", agents=[world.helpdesk_agent, world.secretariat])
    desk.leads.add(world.secretariat)
    return desk


def due_in(ticket: Ticket, response: timedelta | None, resolution: timedelta | None) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_due=NOW + response if response is not None else None,
        resolution_due=NOW + resolution if resolution is not None else None,
    )
    ticket.refresh_from_db()
    return ticket


def kinds(ticket: Ticket) -> list[str]:
    return list(ticket.events.exclude(kind=EventKind.OPENED).values_list("kind", flat=True))


def run(capture, now: datetime = NOW) -> tasks.WatchReport:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return tasks.watch(now)


def test_a_target_close_to_its_due_time_warns_the_desks_agents_once_in_their_language(
    world, central, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ticket = due_in(factories.ticket(), timedelta(minutes=50), timedelta(hours=6))
    mail.outbox.clear()
    report = run(django_capture_on_commit_callbacks)
    assert (report.warned, report.breached) == (1, 0)
    ticket.refresh_from_db()
    assert ticket.response_warned_at == NOW and ticket.resolution_warned_at is None
    assert kinds(ticket) == [EventKind.WARNED]
    # Nobody has the ticket: each of the desk's agents hears, in their own language.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {world.helpdesk_agent.email, world.secretariat.email}
    assert ticket.reference in by_address[world.helpdesk_agent.email].subject
    assert "primera respuesta" in by_address[world.helpdesk_agent.email].subject.lower()
    # The next run finds nothing new to say.
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks).warned == 0
    assert mail.outbox == [] and kinds(ticket) == [EventKind.WARNED]


def test_an_assigned_ticket_warns_only_its_agent(world, central, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket()
    services.assign(ticket, actor=world.secretariat, agent=world.helpdesk_agent)
    due_in(ticket, timedelta(hours=10), timedelta(hours=3))
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks).warned == 1
    assert [message.to for message in mail.outbox] == [[world.helpdesk_agent.email]]
    ticket.refresh_from_db()
    assert ticket.resolution_warned_at == NOW and ticket.response_warned_at is None


def test_a_target_with_time_enough_left_is_left_alone(central, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    ticket = due_in(factories.ticket(), timedelta(hours=2), timedelta(hours=6))
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks).warned == 0
    assert kinds(ticket) == [] and mail.outbox == []


def test_a_missed_target_is_marked_and_escalated_to_the_leads_once(
    world, central, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ticket = due_in(factories.ticket(), -timedelta(minutes=5), timedelta(hours=6))
    mail.outbox.clear()
    report = run(django_capture_on_commit_callbacks)
    assert (report.warned, report.breached, report.escalated) == (0, 1, 1)
    ticket.refresh_from_db()
    assert ticket.response_breached_at == NOW and ticket.escalated_at == NOW
    assert kinds(ticket) == [EventKind.BREACHED, EventKind.ESCALATED]
    [message] = mail.outbox
    assert message.to == [world.secretariat.email] and ticket.reference in message.subject
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks, NOW + timedelta(minutes=5)).breached == 0
    assert mail.outbox == []


def test_a_regional_desk_missing_a_resolution_tells_the_central_desks_leads_too(
    world, central, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    regional = factories.desk("eastern-africa", central=False, agents=[world.helpdesk_agent])
    regional.leads.add(world.trainer)
    ticket = due_in(factories.ticket(desk=regional), None, -timedelta(minutes=1))
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks).escalated == 1
    assert {message.to[0] for message in mail.outbox} == {world.trainer.email, world.secretariat.email}
    ticket.refresh_from_db()
    assert ticket.resolution_breached_at == NOW and ticket.resolution_warned_at == NOW


def test_a_ticket_waiting_for_its_requester_or_without_a_level_is_not_watched(
    world, central, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    waiting = factories.ticket()
    services.reply(waiting, agent=world.helpdesk_agent, body="Which form do you mean?")
    due_in(waiting, None, -timedelta(hours=1))
    ServiceLevel.objects.create(
        desk=central, topic=factories.topic("other"), first_response_hours=1, resolution_hours=2
    )
    no_level = factories.desk("thematic", central=False)
    ServiceLevel.objects.filter(desk=no_level).delete()
    due_in(factories.ticket(desk=no_level), -timedelta(hours=1), -timedelta(hours=1))
    mail.outbox.clear()
    report = run(django_capture_on_commit_callbacks)
    assert (report.checked, report.warned, report.breached) == (0, 0, 0)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING and waiting.resolution_breached_at is None


def test_the_watch_reads_a_bounded_number_of_queries_however_many_tickets(
    central, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for _number in range(3):
        factories.ticket()
    Ticket.objects.update(
        first_response_due=NOW + timedelta(hours=3), resolution_due=NOW + timedelta(hours=9)
    )
    with CaptureQueriesContext(connection) as few:
        run(django_capture_on_commit_callbacks)
    for _number in range(12):
        factories.ticket()
    Ticket.objects.update(
        first_response_due=NOW + timedelta(hours=3), resolution_due=NOW + timedelta(hours=9)
    )
    with CaptureQueriesContext(connection) as many:
        report = run(django_capture_on_commit_callbacks)
    assert report.checked == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_periodic_task_runs_every_five_minutes() -> None:
    schedule = tasks.watch_service_levels.task_class().validate_datetime  # type: ignore[attr-defined]
    # Huey compares naive times in its own zone.
    assert schedule(NOW.replace(minute=5, tzinfo=None)) and not schedule(NOW.replace(minute=7, tzinfo=None))
