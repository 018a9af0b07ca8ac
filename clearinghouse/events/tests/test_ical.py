"""The calendar files: one event to add to one's calendar, and the calendar of all events to
subscribe to. Read back with icalendar: valid, with the event's time zone and the right moment."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import draft, published

pytestmark = pytest.mark.usefixtures("vocabularies")


def _read(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def test_an_events_calendar_file_has_its_time_zone_and_texts_in_the_readers_language(
    world: World, client: Client
) -> None:
    event = published(
        world,
        {
            "title": "Atelier sur les aires protégées",
            "description": "<p>Trois <strong>jours</strong> &amp; plus.</p>",
        },
        language="fr",
    )
    response = client.get(f"/en/events/{event.identifier}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = _read(response.content)
    [item] = calendar.walk("VEVENT")
    start = item.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Africa/Nairobi"
    assert start.astimezone(UTC) == event.starts_at
    assert item.decoded("dtend").astimezone(UTC) == event.ends_at
    assert "TZID=Africa/Nairobi" in response.content.decode()
    # The time zone the times name is in the file, as RFC 5545 asks.
    assert [zone["tzid"] for zone in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]
    # No English translation: the French original, as plain text.
    assert str(item["summary"]) == "Atelier sur les aires protégées"
    assert str(item["description"]).startswith("Trois jours & plus.")
    assert str(item["url"]).endswith(f"/events/{event.identifier}/")
    assert str(item["location"]) == "UN Gigiri, Nairobi"
    assert str(item["uid"]).startswith(event.identifier)


def test_the_calendar_of_all_events_holds_upcoming_ones_and_those_of_the_last_90_days(
    world: World, client: Client
) -> None:
    upcoming = published(world, {"title": "To come", "time_zone": "Asia/Kolkata"})
    recent = published(world, {"title": "Last month"})
    old = published(world, {"title": "Two years ago"})
    now = timezone.now()
    Event.objects.filter(pk=recent.pk).update(
        starts_at=now - timedelta(days=31), ends_at=now - timedelta(days=30)
    )
    Event.objects.filter(pk=old.pk).update(
        starts_at=now - timedelta(days=731), ends_at=now - timedelta(days=730)
    )
    draft(world, {"title": "A draft"})

    calendar = _read(client.get("/en/events/calendar.ics").content)
    titles = {str(item["summary"]) for item in calendar.walk("VEVENT")}
    assert titles == {"To come", "Last month"}
    assert {zone["tzid"] for zone in calendar.walk("VTIMEZONE")} == {"Asia/Kolkata", "Africa/Nairobi"}
    [kolkata] = [item for item in calendar.walk("VEVENT") if str(item["summary"]) == "To come"]
    assert kolkata.decoded("dtstart") == upcoming.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))


def test_an_online_event_in_utc_is_written_in_utc(world: World, client: Client) -> None:
    event = published(world, {"time_zone": "UTC", "attendance": "online", "venue": "", "city": ""})
    calendar = _read(client.get(f"/en/events/{event.identifier}/event.ics").content)
    [item] = calendar.walk("VEVENT")
    assert item.decoded("dtstart") == event.starts_at
    assert str(item["location"]) == "Online"
    assert isinstance(item.decoded("dtstart"), datetime)


def test_a_draft_has_no_calendar_file(world: World, client: Client) -> None:
    event = draft(world)
    assert client.get(f"/en/events/{event.identifier}/event.ics").status_code == 404
