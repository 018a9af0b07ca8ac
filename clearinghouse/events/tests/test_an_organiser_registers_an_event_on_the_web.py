"""An organiser registers an event through the pages: times typed as the local time of the
event, stored in UTC; submitted, it waits in the review queue; the focal point publishes it and
everyone sees it listed and on its page. Bad input is refused with a clear message and nothing
is saved; a stranger cannot change the event; the public sees only published events."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import draft, published, terms
from clearinghouse.plan.models import Activity
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")


def _form(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "owner": f"country:{world.kenya.pk}",
        "original_language": "en",
        "title": "Round table on marine spatial planning",
        "kind": "round_table",
        "description": "<p>Needs meet providers.</p>",
        "starts_at": "2031-03-10T09:00",
        "ends_at": "2031-03-10T17:30",
        "time_zone": "America/Montreal",
        "attendance": "hybrid",
        "venue": "ICAO building",
        "city": "Montréal",
        "online_url": "https://meet.example.org/round-table",
        "languages": ["en", "fr"],
        "invited": ["global"],
        "partners": [world.kenyan_ngo.pk],
        "subjects": [term.pk for term in terms("SUBJ-MARINE-COASTAL")],
        "currency": "",
    } | overrides


def test_an_organiser_registers_an_event_and_everyone_finds_it_once_published(
    world: World, client: Client
) -> None:
    client.force_login(world.authorised_user)
    assert client.get("/en/events/new/").status_code == 200
    response = client.post("/en/events/new/", _form(world, action="submit"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.state == State.SUBMITTED
    assert event.identifier.startswith("CB-EVENT-KE-")
    # 09:00 in Montréal in March 2031 (daylight time, UTC−4) is 13:00 UTC.
    assert event.starts_at == datetime(2031, 3, 10, 13, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 3, 10, 21, 30, tzinfo=UTC)
    assert list(event.partners.all()) == [world.kenyan_ngo]

    # It waits in the reviewers' queue, and the focal point publishes it from the review pages.
    client.force_login(world.focal_point)
    assert event.identifier in client.get("/en/review/").content.decode()
    client.post(f"/en/records/{event.identifier}/publish/")
    event.refresh_from_db()
    assert event.live

    client.logout()
    listing = client.get("/en/events/").content.decode()
    assert "Round table on marine spatial planning" in listing
    assert "America/Montreal" in listing and "09:00" in listing
    page = client.get(f"/en/events/{event.identifier}/").content.decode()
    assert "UTC−04:00" in page and "13:00" in page
    assert "Montréal" in page and "and online" in page


def test_the_edit_form_shows_the_local_time_of_the_event(world: World, client: Client) -> None:
    event = draft(world)
    client.force_login(world.authorised_user)
    page = client.get(f"/en/events/{event.identifier}/edit/").content.decode()
    assert re.search(r'name="starts_at"[^>]*value="\d{4}-05-12T09:00"', page) or re.search(
        r'value="\d{4}-05-12T09:00"[^>]*name="starts_at"', page
    )
    response = client.post(
        f"/en/events/{event.identifier}/edit/",
        _form(
            world,
            title="Training, moved an hour later",
            starts_at="2031-05-12T10:00",
            ends_at="2031-05-16T17:00",
            action="save",
        )
        | {"time_zone": "Africa/Nairobi", "base_revision": event.revision_number},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.starts_at == datetime(2031, 5, 12, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2031-03-09T17:00"}, "The end comes before the start."),
        ({"time_zone": "Mars/Olympus_Mons"}, "Unknown time zone Mars/Olympus_Mons"),
        ({"budget": "15000", "currency": ""}, "Give the currency of the budget."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(
    world: World, client: Client, overrides: dict[str, str], message: str
) -> None:
    client.force_login(world.authorised_user)
    response = client.post("/en/events/new/", _form(world, action="save", **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_an_end_before_the_start_only_in_the_events_time_zone_is_accepted(
    world: World, client: Client
) -> None:
    # Both are typed in the event's zone: 23:00 to 23:30 the same day is fine.
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/events/new/",
        _form(world, starts_at="2031-03-10T23:00", ends_at="2031-03-10T23:30", time_zone="Pacific/Auckland")
        | {"action": "save"},
    )
    assert response.status_code == 302


def test_a_stranger_cannot_edit_and_the_public_sees_only_published_events(
    world: World, client: Client
) -> None:
    event = draft(world, {"title": "A draft workshop"})
    assert client.get(f"/en/events/{event.identifier}/").status_code == 404
    assert "A draft workshop" not in client.get("/en/events/").content.decode()
    client.force_login(world.outsider)
    assert client.get(f"/en/events/{event.identifier}/edit/").status_code == 403
    assert client.post(f"/en/events/{event.identifier}/edit/", _form(world)).status_code == 403
    assert client.get(f"/en/events/{event.identifier}/settings/").status_code == 403
    assert client.get("/en/events/new/").status_code == 403
    # The organiser sees the draft, with the links to manage it.
    client.force_login(world.authorised_user)
    page = client.get(f"/en/events/{event.identifier}/").content.decode()
    assert "A draft workshop" in page and f"/en/events/{event.identifier}/settings/" in page
    assert event.identifier in client.get("/en/events/mine/").content.decode()


def test_the_contact_is_shown_only_to_those_who_may_see_it(world: World, client: Client) -> None:
    event = published(world)
    assert "training@example.org" not in client.get(f"/en/events/{event.identifier}/").content.decode()
    client.force_login(world.authorised_user)
    assert "training@example.org" in client.get(f"/en/events/{event.identifier}/").content.decode()


def test_the_event_page_carries_schema_org_json_ld(world: World, client: Client) -> None:
    event = published(world, {"online_url": "https://meet.example.org/x", "attendance": "hybrid"})
    page = client.get(f"/fr/events/{event.identifier}/").content.decode()
    found = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Training on invasive alien species"
    assert data["startDate"].endswith("T09:00:00+03:00")
    assert data["endDate"].endswith("T17:00:00+03:00")
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    places = {place["@type"]: place for place in data["location"]}
    assert places["Place"]["address"]["addressLocality"] == "Nairobi"
    assert places["VirtualLocation"]["url"] == "https://meet.example.org/x"
    assert data["organizer"]["name"] == world.kenya.name("fr")
    assert "contact" not in found.group(1) and "training@example.org" not in found.group(1)
    assert data["url"].endswith(f"/events/{event.identifier}/")


def test_a_title_with_markup_cannot_break_out_of_the_json_ld(world: World, client: Client) -> None:
    event = published(world, {"title": "</script><script>alert(1)</script>"})
    page = client.get(f"/en/events/{event.identifier}/").content.decode()
    assert "<script>alert(1)" not in page
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert block is not None and json.loads(block.group(1))["name"] == "</script><script>alert(1)</script>"


def test_the_page_links_materials_partners_and_plan_activities(world: World, client: Client) -> None:
    activity = Activity.objects.create(
        number=5, section="A", text_original="نص", text_translations={"en": "Build capacity"}
    )
    event = published(
        world,
        {
            "plan_activities": [activity],
            "partners": [world.kenyan_ngo],
            "material_links": ["https://example.org/slides.pdf"],
        },
    )
    page = client.get(f"/en/events/{event.identifier}/").content.decode()
    assert "/en/plan/5/" in page and "Build capacity" in page
    assert f"/en/organisations/{world.kenyan_ngo.pk}/" in page
    assert "https://example.org/slides.pdf" in page
    assert "{# panels #}" not in page  # a template comment, where the other areas add their panels


def test_the_dates_show_in_the_readers_chosen_time_zone(world: World, client: Client) -> None:
    event = published(world)
    page = client.get(f"/en/events/{event.identifier}/", {"tz": "Europe/Paris"}).content.decode()
    assert "In your time zone" in page and "Europe/Paris" in page and "08:00" in page
    # An unknown zone is ignored, not an error.
    assert client.get(f"/en/events/{event.identifier}/", {"tz": "Nowhere/Else"}).status_code == 200
