"""The organiser's "My events" page and the events' export read no country or organisation per
event: their queries do not grow with the events listed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import published

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_my_events_read_the_same_number_of_queries_for_few_or_many_events(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.authorised_user)
    published(world, {"title": "Event 0"})
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/events/mine/").status_code == 200
    # Each held in another country: the page names every venue's country.
    for number, country in enumerate((world.tanzania, world.kenya, world.tanzania), start=1):
        event = published(world, {"title": f"Event {number}"})
        Event.objects.filter(pk=event.pk).update(venue_country=country)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/en/events/mine/").status_code == 200


def test_the_export_reads_the_same_number_of_queries_for_events_of_few_or_many_owners(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    published(world, {"title": "Event 0"})
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/events/export/?format=csv").status_code == 200
    # Whether the reader sees the confidential fields is decided once per owner: each owner
    # must come with its events, not in a query of its own.
    for number, owner in enumerate((world.tanzania, world.kenyan_ngo, world.international), start=1):
        event = published(world, {"title": f"Event {number}"})
        Event.objects.filter(pk=event.pk).update(
            owner_country=owner if owner == world.tanzania else None,
            owner_organisation=None if owner == world.tanzania else owner,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/en/events/export/?format=csv")
    assert response.content.decode().count("Event ") == 4
