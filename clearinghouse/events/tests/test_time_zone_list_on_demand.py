"""An event's page no longer carries the 600 time zone names of its "my time zone" box (half its
weight): htmx fetches them when the reader goes to the box, from an address cached for a day."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.core.testing import World
from clearinghouse.events.tests import factories

pytestmark = pytest.mark.django_db


def test_the_event_page_fetches_the_time_zone_names_only_when_asked(
    client: Client, world: World, vocabularies: None
) -> None:
    event = factories.published(world)
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<option value="Pacific/Auckland">' not in page
    assert f'hx-get="{reverse("events:time_zones")}"' in page

    options = client.get(reverse("events:time_zones"))
    assert '<option value="Pacific/Auckland">' in options.content.decode()
    assert "max-age=86400" in options["Cache-Control"] and "public" in options["Cache-Control"]


def test_a_typed_time_zone_still_works_without_the_list(
    client: Client, world: World, vocabularies: None
) -> None:
    event = factories.published(world)
    page = client.get(event.get_absolute_url(), {"tz": "Asia/Tokyo"}).content.decode()
    assert "In your time zone" in page
