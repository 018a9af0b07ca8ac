"""/api/v1/events/: published events for everyone, with the list's filters; drafts only for the
people who draft and review them; the contact only for those who may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import draft, published
from clearinghouse.plan.models import Activity

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_everyone_reads_published_events_and_their_calendar_link(world: World, client: Client) -> None:
    activity = Activity.objects.create(number=82, section="C", text_original="نص")
    event = published(
        world, {"kind": "webinar", "plan_activities": [activity], "partners": [world.kenyan_ngo]}
    )
    hidden = draft(world, {"title": "Draft"})
    listing = client.get("/api/v1/events/").json()
    assert [item["identifier"] for item in listing["results"]] == [event.identifier]
    item = client.get(f"/api/v1/events/{event.identifier}/").json()
    assert item["kind"] == "webinar" and item["time_zone"] == "Africa/Nairobi"
    assert item["title"] == {"en": "Training on invasive alien species"}
    assert item["starts_at"].startswith(event.starts_at.strftime("%Y-%m-%dT%H:%M"))
    assert item["is_past"] is False
    assert item["plan_activities"] == [82] or item["plan_activities"] == ["82"]
    assert item["partners"] == [world.kenyan_ngo.code]
    assert item["ical_url"].endswith(f"/events/{event.identifier}/event.ics")
    # The contact is confidential: left out for the public.
    assert "contact_email" not in item
    assert client.get(f"/api/v1/events/{hidden.identifier}/").status_code == 404


def test_the_api_filters_like_the_list(world: World, client: Client) -> None:
    webinar = published(world, {"kind": "webinar"})
    training = published(world)
    Event.objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - timedelta(days=10), ends_at=timezone.now() - timedelta(days=9)
    )
    kinds = client.get("/api/v1/events/", {"kind": "webinar"}).json()["results"]
    assert [item["identifier"] for item in kinds] == [webinar.identifier]
    past = client.get("/api/v1/events/", {"when": "past"}).json()["results"]
    assert [item["identifier"] for item in past] == [training.identifier]


def test_the_organisers_read_the_contact(world: World, client: Client) -> None:
    event = published(world)
    client.force_login(world.authorised_user)
    assert client.get(f"/api/v1/events/{event.identifier}/").json()["contact_email"] == "training@example.org"
