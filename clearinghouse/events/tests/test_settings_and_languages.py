"""An organiser changes the registration settings at once, in the event's local time, with no
review; the event's pages work in the six languages, right to left in Arabic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import published
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")


def _settings(**overrides: str) -> dict[str, str]:
    return {
        "registration_opens_at": "2031-01-05T08:00",
        "registration_closes_at": "2031-04-30T23:59",
        "capacity": "40",
        "requires_approval": "on",
        "seat_offer_hours": "24",
    } | overrides


def test_an_organiser_opens_registration_at_once_in_the_events_local_time(
    world: World, client: Client
) -> None:
    event = published(world)
    client.force_login(world.authorised_user)
    assert client.get(f"/en/events/{event.identifier}/settings/").status_code == 200
    response = client.post(f"/en/events/{event.identifier}/settings/", _settings())
    assert response.status_code == 302
    event.refresh_from_db()
    # 08:00 in Nairobi (UTC+3) is 05:00 UTC; no review: still published, no pending change.
    assert event.registration_opens_at == datetime(2031, 1, 5, 5, 0, tzinfo=UTC)
    assert (event.capacity, event.requires_approval, event.seat_offer_hours) == (40, True, 24)
    assert event.state == State.PUBLISHED and not event.has_pending_changes


def test_registration_closing_before_it_opens_is_refused_and_nothing_changes(
    world: World, client: Client
) -> None:
    event = published(world)
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/events/{event.identifier}/settings/", _settings(registration_closes_at="2031-01-01T08:00")
    )
    assert response.status_code == 200
    assert "Registration closes before it opens." in response.content.decode()
    assert Event.objects.get(pk=event.pk).capacity is None


@pytest.mark.parametrize("language", ["ar", "zh", "en", "fr", "ru", "es"])
def test_the_pages_of_events_work_in_every_language(world: World, client: Client, language: str) -> None:
    event = published(world)
    listing = client.get(f"/{language}/events/")
    page = client.get(f"/{language}/events/{event.identifier}/")
    assert listing.status_code == page.status_code == 200
    html = page.content.decode()
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    assert "Africa/Nairobi" in html and event.identifier in listing.content.decode()
    calendar = client.get(f"/{language}/events/{event.identifier}/event.ics")
    assert calendar.status_code == 200 and b"BEGIN:VCALENDAR" in calendar.content
    client.force_login(world.authorised_user)
    assert client.get(f"/{language}/events/new/").status_code == 200
    assert client.get(f"/{language}/events/{event.identifier}/edit/").status_code == 200
    assert client.get(f"/{language}/events/mine/").status_code == 200
