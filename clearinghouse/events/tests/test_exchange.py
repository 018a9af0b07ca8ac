"""Events go out and come back in as Excel, CSV and JSON through the shared exchange engine,
their times as moments (UTC or with an offset), without loss; a bad time is reported by row."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.factories import published, terms
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import exchange, registry, snapshots
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published as published_record

pytestmark = pytest.mark.usefixtures("vocabularies")


def _complete(world: World) -> Event:
    resource = published_record(Resource, world, {"title": "Guide", "kind": "guide"})
    activity = Activity.objects.create(number=11, section="A", text_original="نص")
    return published(
        world,
        {
            "online_url": "https://meet.example.org/x",
            "attendance": "hybrid",
            "venue_country": world.kenya,
            "interpretation": ["ar"],
            "target_groups": terms("youth"),
            "partners": [world.kenyan_ngo],
            "plan_activities": [activity],
            "gbf_targets": terms("GBF-T20"),
            "subjects": terms("SUBJ-MARINE-COASTAL"),
            "materials": [resource],
            "material_links": ["https://example.org/slides.pdf"],
            "budget": "25000.00",
            "currency": "USD",
            "cofunding": "UNEP, 10 000 USD",
        },
    )


@pytest.mark.parametrize("format_name", exchange.FORMATS)
def test_an_export_of_events_imports_back_without_loss(
    world: World, client: Client, format_name: str
) -> None:
    original = _complete(world)
    content = snapshots.snapshot(Event.objects.get(pk=original.pk))
    empty = [name for name, value in content.items() if value in (None, "", [], {})]
    assert empty == [], f"the sample leaves {empty} empty"
    # Exported by its organiser: the confidential contact goes along.
    client.force_login(world.authorised_user)
    response = client.get("/en/events/export/", {"format": format_name, "mine": "1"})
    assert response.status_code == 200
    events = registry.of(Event)
    cells = exchange.read(events, response.content, format_name)
    assert [row["identifier"] for row in cells] == [original.identifier]
    parsed = exchange.validate(events, cells, owner=world.tanzania)
    assert parsed.problems == []
    [created] = exchange.create_all(
        events, actor=world.other_focal_point, owner=world.tanzania, parsed=parsed
    )
    copy = Event.objects.get(pk=created.pk)
    assert copy.state == State.DRAFT and copy.owner == world.tanzania
    assert snapshots.snapshot(copy) == content


def test_times_with_an_offset_are_read_as_that_moment_and_a_bad_one_is_reported(world: World) -> None:
    events = registry.of(Event)
    rows = [
        {"title.en": "With offset", "starts_at": "2031-05-12T09:00+03:00", "ends_at": "2031-05-12 17:00"},
        {"title.en": "Bad", "starts_at": "next Tuesday"},
    ]
    parsed = exchange.validate(
        events, exchange.read(events, json.dumps(rows).encode(), "json"), owner=world.kenya
    )
    assert [(problem.row, problem.column) for problem in parsed.problems] == [(3, "starts_at")], (
        parsed.problems
    )
    rows.pop()
    parsed = exchange.validate(
        events, exchange.read(events, json.dumps(rows).encode(), "json"), owner=world.kenya
    )
    [created] = exchange.create_all(events, actor=world.authorised_user, owner=world.kenya, parsed=parsed)
    event = Event.objects.get(pk=created.pk)
    assert event.starts_at == datetime(2031, 5, 12, 6, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 5, 12, 17, 0, tzinfo=UTC)


def test_the_import_page_of_events_leads_back_to_the_events(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    page = client.get("/en/events/import/").content.decode()
    assert 'href="/en/events/"' in page
