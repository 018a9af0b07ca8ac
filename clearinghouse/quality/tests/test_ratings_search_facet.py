"""A record's average rating is a search facet: given, changed or removed through the services,
the index follows (the record is announced as changed); a rebuild and a single record's
document read it the same way, and the facets of many records cost one query per chunk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event
from clearinghouse.events.tests.attendance_factories import make_event, register
from clearinghouse.publishing import registry
from clearinghouse.quality import ratings
from clearinghouse.quality.tests.rating_factories import (
    Commit,
    _offline,  # noqa: F401  (fixture)
    attended_event,
    vocabularies,  # noqa: F401  (fixture)
)
from clearinghouse.search import labels, records, service
from clearinghouse.search.documents import SearchQuery

pytestmark = pytest.mark.usefixtures("vocabularies")


def _found(value: str) -> list[str]:
    return [hit.key for hit in service.search(SearchQuery(filters={"rating": [value]}, page_size=100)).hits]


def _indexed(event: Event) -> None:
    service.index(list(records.provide([event.identifier])))


def test_a_records_rating_facet_follows_its_ratings(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    event = attended_event(world, world.learner)
    _indexed(event)
    assert _found("rated") == []
    with django_capture_on_commit_callbacks(execute=True):
        rating = ratings.rate_record(event, person=world.learner, stars=5)
    assert event.identifier in _found("4+")
    assert event.identifier in _found("3+")
    with django_capture_on_commit_callbacks(execute=True):
        ratings.change(rating, person=world.learner, stars=3)
    assert event.identifier not in _found("4+")
    assert event.identifier in _found("3+")
    with django_capture_on_commit_callbacks(execute=True):
        ratings.remove(rating, person=world.learner)
    assert _found("rated") == []


def test_a_rebuild_and_a_single_document_carry_the_same_facet(world: World) -> None:
    event = attended_event(world, world.learner)
    ratings.rate_record(event, person=world.learner, stars=4)
    single = records.document(event)
    rebuilt = next(document for document in records.provide() if document.key == event.identifier)
    assert single.facets["rating"] == rebuilt.facets["rating"] == ["4+", "3+", "2+", "rated"]


def test_the_facets_of_many_records_cost_one_query_per_chunk(world: World) -> None:
    events = [make_event(world, past=True) for _ in range(6)]
    for stars, event in enumerate(events[:5], start=1):
        register(
            event,
            "Mei Wang",
            email=world.learner.email,
            person=world.learner,
            checked_in_at=timezone.now() - timedelta(days=1),
        )
        ratings.rate_record(event, person=world.learner, stars=stars)
    identifiers = [event.identifier for event in events]
    with CaptureQueriesContext(connection) as queries:
        found = registry.contributed_facets(identifiers)
    assert len(queries) == 1
    assert found[events[0].identifier]["rating"] == ["rated"]
    assert found[events[4].identifier]["rating"] == ["4+", "3+", "2+", "rated"]
    assert events[5].identifier not in found


def test_the_facet_and_its_values_are_named_on_the_search_page() -> None:
    with override("en"):
        assert labels.facet_title("rating") == "Participants' rating"
        assert labels.labels("rating", ["4+"], "en") == {"4+": "4 stars and up"}
