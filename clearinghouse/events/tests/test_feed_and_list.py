"""The list of events (upcoming soonest first, past latest first, filters, pagination) and the
Atom feed of upcoming events."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import published, terms

pytestmark = pytest.mark.usefixtures("vocabularies")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def events(world: World) -> dict[str, Event]:
    now = timezone.now()
    found = {
        "soon": published(
            world, {"title": "Soon", "kind": "webinar", "attendance": "online", "languages": ["es"]}
        ),
        "later": published(
            world,
            {
                "title": "Later",
                "invited": ["TZ"],
                "subjects": terms("SUBJ-MARINE-COASTAL"),
                "gbf_targets": terms("GBF-T3"),
            },
        ),
        "past": published(world, {"title": "Last year", "invited": ["global"]}),
        "long_past": published(world, {"title": "Long ago", "invited": ["TZ"]}),
    }
    moves = {"soon": 3, "later": 40, "past": -300, "long_past": -700}
    for name, days in moves.items():
        Event.objects.filter(pk=found[name].pk).update(
            starts_at=now + timedelta(days=days), ends_at=now + timedelta(days=days, hours=4)
        )
    return found


def _titles(client: Client, **params: str) -> list[str]:
    page = client.get("/en/events/", params).content.decode()
    titles = ["Soon", "Later", "Last year", "Long ago"]
    found = [(page.find(f">{title}</a>"), title) for title in titles if f">{title}</a>" in page]
    return [title for _position, title in sorted(found)]


def test_upcoming_events_come_soonest_first_and_past_ones_latest_first(
    events: dict[str, Event], client: Client
) -> None:
    assert _titles(client) == ["Soon", "Later"]
    assert _titles(client, when="past") == ["Last year", "Long ago"]


def test_the_filters_narrow_the_list(events: dict[str, Event], client: Client) -> None:
    assert _titles(client, kind="webinar") == ["Soon"]
    assert _titles(client, attendance="online") == ["Soon"]
    assert _titles(client, language="es") == ["Soon"]
    assert _titles(client, subject="SUBJ-MARINE-COASTAL") == ["Later"]
    assert _titles(client, target="GBF-T3") == ["Later"]
    # Tanzania is invited by name to "Later"; "Soon" invites Africa, Tanzania's region.
    assert _titles(client, invited="TZ") == ["Soon", "Later"]
    assert _titles(client, invited="KE") == ["Soon"]
    assert _titles(client, invited="KE", when="past") == ["Last year"]


def test_each_row_shows_the_kind_the_dates_in_the_events_zone_the_place_and_languages(
    events: dict[str, Event], client: Client
) -> None:
    page = client.get("/en/events/").content.decode()
    assert "Webinar" in page and "Online" in page and "Spanish" in page
    assert "Africa/Nairobi, UTC+03:00" in page and "UN Gigiri, Nairobi" in page


def test_the_list_is_paginated(world: World, client: Client) -> None:
    for number in range(21):
        published(world, {"title": f"Event {number}"})
    assert "Page 1 of 2" in client.get("/en/events/").content.decode()
    assert "Page 2 of 2" in client.get("/en/events/", {"page": "2"}).content.decode()


def test_the_feed_lists_upcoming_events_soonest_first(events: dict[str, Event], client: Client) -> None:
    response = client.get("/feeds/events/")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)  # noqa: S314  # our own feed
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Soon", "Later"]
    summary = next(feed.iter(f"{ATOM}entry")).findtext(f"{ATOM}summary") or ""
    assert "Africa/Nairobi" in summary
