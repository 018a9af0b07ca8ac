"""Events are one registered record type: searched with their facets (in every interface
language), matched as support while they are to come, counted by monitoring, and kept fresh in
search by the nightly job once they end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events import services
from clearinghouse.events.models import Event
from clearinghouse.events.records import answers_needs, event_facts
from clearinghouse.events.tests.factories import published, terms
from clearinghouse.publishing import registry
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_events_are_registered_once_with_every_shared_feature() -> None:
    events = registry.of(Event)
    assert events.code == "EVENT"
    assert events.side == "support"
    assert events.feed is not None and registry.feed("events") is events.feed
    assert events.exchange is not None
    assert events.search is not None and set(events.search.texts) == {"description", "cofunding"}
    assert set(registry.dimensions(events)) >= {
        "kind",
        "attendance",
        "party",
        "subject",
        "target",
        "language",
    }


@pytest.fixture
def training(world: World, django_capture_on_commit_callbacks: Any) -> Event:
    with django_capture_on_commit_callbacks(execute=True):
        return published(
            world,
            {
                "title": "Formation sur les espèces exotiques envahissantes",
                "description": "<p>Cinq jours pour reconnaître les espèces envahissantes.</p>",
                "subjects": terms("SUBJ-MARINE-COASTAL"),
                "gbf_targets": terms("GBF-T6"),
                "target_groups": terms("youth"),
            },
            language="fr",
        )


def test_a_published_event_is_found_with_its_facets(training: Event) -> None:
    result = service.search(SearchQuery(text="envahissantes", language="en"))
    assert [hit.key for hit in result.hits] == [training.identifier]
    facets = service.search(SearchQuery(filters={"record_type": ["event"]})).facets
    assert facets["event_kind"] == {"training": 1}
    assert facets["when"] == {"upcoming": 1}
    assert facets["target"] == {"GBF-T6": 1}
    assert facets["target_group"] == {"youth": 1}
    # Filtering by a facet events add keeps it.
    assert service.search(SearchQuery(filters={"event_kind": ["webinar"]})).total == 0


def test_the_search_page_names_the_event_facets_in_the_readers_language(
    training: Event, client: Client
) -> None:
    # An English reader finds the French event, and the facets are named in English.
    page = client.get("/en/search/", {"q": "envahissantes"}).content.decode()
    assert training.identifier in page
    assert "Kind of event" in page and "Training" in page and "Upcoming" in page
    page = client.get("/fr/search/", {"q": "envahissantes"}).content.decode()
    assert "Type d’événement" in page or "Type d&#x27;événement" in page or "Type d'événement" in page
    assert "À venir" in page


def test_a_training_to_come_answers_needs_and_a_past_one_no_longer(world: World, training: Event) -> None:
    facts = event_facts(Event.objects.prefetch_related("subjects", "gbf_targets").get(pk=training.pk))
    assert facts.support_types == ("training",)
    assert facts.countries_eligible == ("Africa",)
    assert facts.targets == ("GBF-T6",) and facts.subjects == ("SUBJ-MARINE-COASTAL",)
    assert facts.languages == ("en", "fr")
    assert registry.of(Event).matchable_identifiers([training.identifier]) == {training.identifier}

    Event.objects.filter(pk=training.pk).update(ends_at=timezone.now() - timedelta(hours=1))
    assert not Event.objects.filter(answers_needs(), pk=training.pk).exists()
    assert registry.of(Event).matchable_identifiers([training.identifier]) == set()


def test_a_side_event_does_not_answer_needs(world: World) -> None:
    side_event = published(world, {"kind": "side_event"})
    assert registry.of(Event).matchable_identifiers([side_event.identifier]) == set()


def test_the_nightly_job_moves_an_event_that_ended_to_the_past_in_search(
    training: Event, django_capture_on_commit_callbacks: Any
) -> None:
    ended = timezone.now() - timedelta(hours=2)
    Event.objects.filter(pk=training.pk).update(starts_at=ended - timedelta(days=1), ends_at=ended)
    # Search still says upcoming: nothing told it the event ended.
    assert service.search(SearchQuery(filters={"when": ["upcoming"]})).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_ended() == [training.identifier]
    assert service.search(SearchQuery(filters={"when": ["upcoming"]})).total == 0
    assert service.search(SearchQuery(filters={"when": ["past"]})).total == 1
    # An event that ended long ago is not read again each night.
    assert services.announce_ended(timezone.now() + timedelta(days=3)) == []


def test_monitoring_counts_events_by_kind_and_party(world: World, training: Event) -> None:
    events = registry.of(Event)
    assert registry.counts(events, "kind") == {"training": 1}
    assert registry.counts(events, "party") == {"KE": 1}
    assert registry.counts(events, "subject") == {"SUBJ-MARINE-COASTAL": 1}
