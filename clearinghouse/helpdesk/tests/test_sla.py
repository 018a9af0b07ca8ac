"""Service levels on a ticket (sla.py): targets in the desk's business hours from its topic's
level or its default one, the resolution clock paused while waiting for the requester, targets
recomputed on transfer, and the state each target shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clearinghouse.helpdesk import services, sla
from clearinghouse.helpdesk.hours import BusinessCalendar
from clearinghouse.helpdesk.models import ServiceLevel, Status, Ticket
from clearinghouse.helpdesk.tests import factories

pytestmark = pytest.mark.django_db

# A Wednesday at 10:00 UTC: the factories' desks are open Monday to Friday 09:00–17:00 UTC.
WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Day of March 2026 (4 is a Wednesday), UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def central(world):  # type: ignore[no-untyped-def]
    return factories.desk("central", agents=[world.helpdesk_agent])


def opened_on_wednesday(**fields: object) -> Ticket:
    ticket = factories.ticket(**fields)
    ticket.created_at = WEDNESDAY
    sla.set_targets(ticket)
    ticket.save()
    return ticket


def test_the_default_level_sets_targets_in_business_hours(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    assert ticket.first_response_due == at(4, 14)
    # Sixteen business hours: seven on Wednesday, eight on Thursday, one on Friday.
    assert ticket.resolution_due == at(6, 10)


def test_a_topics_own_level_comes_before_the_default(central) -> None:  # type: ignore[no-untyped-def]
    technical = factories.topic("technical")
    ServiceLevel.objects.create(
        desk=central, topic=technical, first_response_hours=Decimal("1"), resolution_hours=Decimal("8")
    )
    ticket = opened_on_wednesday(topic=technical)
    assert ticket.first_response_due == at(4, 11)
    assert ticket.resolution_due == at(5, 10)
    other = opened_on_wednesday(topic=factories.topic("other"))
    assert other.first_response_due == at(4, 14)


def test_a_desk_without_a_level_sets_no_targets(central) -> None:  # type: ignore[no-untyped-def]
    ServiceLevel.objects.filter(desk=central).delete()
    ticket = opened_on_wednesday()
    assert ticket.first_response_due is None and ticket.resolution_due is None
    assert sla.targets(ticket, WEDNESDAY) == []


def test_waiting_moves_the_resolution_due_time_by_business_time_only(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    sla.pause(ticket, at(4, 16))
    # From Wednesday 16:00 to Thursday 10:00 the desk was open two hours.
    sla.resume(ticket, at(5, 10))
    assert ticket.waiting_since is None and ticket.paused_seconds == 2 * 3600
    assert ticket.resolution_due == at(6, 12)
    # The first response is not paused by waiting.
    assert ticket.first_response_due == at(4, 14)
    # Recomputing (a transfer back and forth) keeps the time already waited.
    sla.set_targets(ticket)
    assert ticket.resolution_due == at(6, 12)


def test_a_wait_over_a_weekend_counts_only_the_open_hours(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    sla.pause(ticket, at(6, 16))  # Friday 16:00
    sla.resume(ticket, at(9, 10))  # Monday 10:00
    assert ticket.paused_seconds == 2 * 3600


def test_a_transfer_recomputes_the_targets_with_the_new_desks_level_and_hours(world, central) -> None:  # type: ignore[no-untyped-def]
    regional = factories.desk(
        "eastern-africa",
        central=False,
        time_zone="Africa/Nairobi",
        opening_hours={str(day): [["08:00", "16:00"]] for day in range(5)},
    )
    ServiceLevel.objects.filter(desk=regional).update(first_response_hours=Decimal("2"))
    ticket = opened_on_wednesday()
    moved = services.transfer(ticket, actor=world.secretariat, desk=regional, reason="Kenyan question")
    # Wednesday 10:00 UTC is 13:00 in Nairobi: two business hours later is 15:00 there.
    assert moved.first_response_due == datetime(2026, 3, 4, 15, tzinfo=ZoneInfo("Africa/Nairobi"))
    moved.refresh_from_db()
    assert moved.first_response_due == at(4, 12) and moved.assigned_to is None


def states(ticket: Ticket, now: datetime) -> dict[str, str]:
    return {target.name: target.state for target in sla.targets(ticket, now)}


def test_targets_on_track_then_due_soon_then_missed(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    assert states(ticket, at(4, 11)) == {"First response": sla.ON_TRACK, "Resolution": sla.ON_TRACK}
    # Warned at 75 %: one hour of the four left.
    assert states(ticket, at(4, 13))["First response"] == sla.DUE_SOON
    missed = sla.targets(ticket, at(4, 15))[0]
    assert missed.state == sla.MISSED and missed.left == -timedelta(hours=1)
    # After closing time the overdue time stops growing: it counts business hours.
    assert sla.targets(ticket, at(4, 20))[0].left == -timedelta(hours=3)


def test_a_target_met_in_time_is_met_and_late_is_missed(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    ticket.first_response_at = at(4, 12)
    assert states(ticket, at(6, 16))["First response"] == sla.MET
    ticket.first_response_at = at(4, 15)
    assert states(ticket, at(6, 16))["First response"] == sla.MISSED


def test_waiting_shows_the_resolution_paused_with_the_time_left(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    ticket.first_response_at = at(4, 11)
    ticket.status = Status.WAITING
    ticket.waiting_since = at(5, 16)
    [response, resolution] = sla.targets(ticket, at(9, 12))
    assert response.state == sla.MET
    assert resolution.state == sla.PAUSED and resolution.left == timedelta(hours=2)


def test_waiting_after_the_resolution_was_missed_still_shows_it_missed(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    ticket.status = Status.WAITING
    ticket.waiting_since = at(6, 12)
    assert states(ticket, at(9, 12))["Resolution"] == sla.MISSED


def test_a_ticket_closed_without_a_reply_stops_its_response_clock(central) -> None:  # type: ignore[no-untyped-def]
    ticket = opened_on_wednesday()
    ticket.status = Status.CLOSED
    ticket.closed_at = at(4, 12)
    assert states(ticket, at(20, 12)) == {"First response": sla.MET, "Resolution": sla.MET}


def test_business_time_is_real_time_on_the_day_clocks_change() -> None:
    # On 29 March 2026 Paris moves from 02:00 to 03:00: a desk open 00:00–06:00 is open five hours.
    paris = ZoneInfo("Europe/Paris")
    calendar = BusinessCalendar(time_zone=paris, opening_hours={"6": [["00:00", "06:00"]]})
    start = datetime(2026, 3, 29, 0, 0, tzinfo=paris)
    assert calendar.between(start, datetime(2026, 3, 29, 6, 0, tzinfo=paris)) == timedelta(hours=5)
    assert calendar.add(start, timedelta(hours=3)) == datetime(2026, 3, 29, 4, 0, tzinfo=paris)


def test_a_desk_open_on_no_day_counts_no_business_time() -> None:
    calendar = BusinessCalendar(time_zone=ZoneInfo("UTC"), opening_hours={"0": []})
    assert calendar.between(at(4, 10), at(4, 12)) == timedelta(0)
