"""Opportunities close themselves after the deadline: the nightly job marks them closed, and the
lists, the API and the Atom feed treat a past deadline as closed even before it runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.support import tasks
from clearinghouse.support.models import Opportunity, OpportunityStatus
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")
ATOM = "{http://www.w3.org/2005/Atom}"


def _opportunity(world: World, title: str, days: int) -> Opportunity:
    values = sample(Opportunity, world) | {"title": title}
    record = published(Opportunity, world, values)
    # The deadline is moved afterwards: a past deadline could not have been typed in as future.
    Opportunity.objects.filter(pk=record.pk).update(deadline=timezone.localdate() + timedelta(days=days))
    record.refresh_from_db()
    return record


def test_past_deadline_opportunities_are_closed_before_and_after_the_job(
    world: World, client: Client
) -> None:
    open_one = _opportunity(world, "Open grant", 10)
    past = _opportunity(world, "Past grant", -1)
    assert past.status == OpportunityStatus.OPEN and not past.is_open

    listing = client.get("/en/support/opportunities/", {"status": "open"}).content.decode()
    assert open_one.identifier in listing and past.identifier not in listing
    api = client.get("/api/v1/opportunities/", {"status": "open"}).json()
    assert [item["identifier"] for item in api["results"]] == [open_one.identifier]

    tasks.close_opportunities.call_local()
    past.refresh_from_db()
    open_one.refresh_from_db()
    assert past.status == OpportunityStatus.CLOSED and past.closed_at is not None
    assert open_one.status == OpportunityStatus.OPEN
    assert past.search_facets()["status"] == ["closed"]


def test_the_job_runs_every_night_at_one() -> None:
    task = tasks.close_opportunities.task_class()
    assert task.validate_datetime(datetime(2026, 3, 1, 1, 0))  # noqa: DTZ001 - huey checks naive local times
    assert not task.validate_datetime(datetime(2026, 3, 1, 2, 0))  # noqa: DTZ001


def _iso(text: str | None) -> datetime:
    assert text, "an Atom date is required"
    return datetime.fromisoformat(text)


def test_the_atom_feed_lists_open_opportunities_only(world: World, client: Client) -> None:
    open_one = _opportunity(world, "Fellowship in taxonomy", 20)
    past = _opportunity(world, "Expired fellowship", -3)
    response = client.get("/feeds/opportunities/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    assert feed.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed: id, title, updated; of each entry: id, title, updated, link.
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}title")
    assert _iso(feed.findtext(f"{ATOM}updated")).tzinfo is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Fellowship in taxonomy"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id") == f"urn:clearinghouse:{open_one.identifier}"
    assert _iso(entry.findtext(f"{ATOM}updated")).tzinfo is not None
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith(open_one.get_absolute_url())
    assert past.identifier not in response.content.decode()


def test_an_empty_feed_is_still_valid(db: None, client: Client) -> None:
    feed = ElementTree.fromstring(client.get("/feeds/opportunities/").content)  # noqa: S314
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}title")
    assert _iso(feed.findtext(f"{ATOM}updated"))
    assert feed.findall(f"{ATOM}entry") == []
