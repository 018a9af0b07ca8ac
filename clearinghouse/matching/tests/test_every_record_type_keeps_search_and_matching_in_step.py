"""Every registered record type (parametrised over the registry, so a new type is covered by
itself): each field its search document reads is changed through the services, and both search
and the stored embeddings (its matching catalogue, or "records" for a type that is only
searched) read the change back; documents cost the same queries for one record
or many; a need's status, an opportunity's closing and an archive reach both indexes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.needs import services as need_services
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need, NeedStatus
from clearinghouse.publishing import access, registry, workflow
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import RecordType
from clearinghouse.search import records, service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.support import services as support_services
from clearinghouse.support.models import Opportunity, SupportRecord
from clearinghouse.support.tests.factories import terms
from clearinghouse.support.tests.samples import sample

pytestmark = pytest.mark.usefixtures("vocabularies")
TYPES = registry.record_types()


def _need_values(title: str = "Seagrass monitoring for fisheries officers") -> dict[str, Any]:
    return {
        "original_language": "en",
        "format_version": CURRENT_VERSION,
        "title": {"en": title},
        "description": {"en": "Training in seagrass survey methods."},
        "priority": "high",
        "subjects": terms("SUBJ-MARINE-COASTAL"),
        "instruments": terms("CBD"),
        "capacity_levels": terms("individual"),
        "support_types": terms("training"),
        "support_languages": ["en"],
        "contact_name": "Salma Hassan",
        "contact_email": "salma@example.org",
    }


def _publish(model: type[Record], world: World, values: dict[str, Any], capture: Any) -> Any:
    with capture(execute=True):
        record = workflow.create(model, actor=None, owner=world.kenya, values=values)
        workflow.submit(record, actor=None)
        return workflow.publish(record, actor=None)


def _content(record_type: RecordType, world: World, capture: Any) -> dict[str, Any]:
    """Publishable content of the type, as its services would store it."""
    model = record_type.model
    if issubclass(model, SupportRecord):
        return support_services.values_from_form(model, sample(model, world), "en") | {
            "original_language": "en"
        }
    samples = {
        "NEED": _need_values,
        "ASMT": lambda: {
            "original_language": "en",
            "format_version": CURRENT_VERSION,
            "title": {"en": "National assessment of capacity needs"},
            "scope": "national",
            "period_start": 2024,
            "period_end": 2026,
            "method": {"en": "Workshops in every county."},
        },
        "REQ": lambda: {
            "original_language": "en",
            "format_version": CURRENT_VERSION,
            "needs": [_publish(Need, world, _need_values(), capture)],
            "title": {"en": "Seagrass survey course"},
            "asked": {"en": "A field course."},
            "deliverables": {"en": "Twenty officers trained."},
            "modalities": ["training"],
        },
        "NOTE": lambda: {"original_language": "en", "title": {"en": "A note on seagrass"}},
        "CASE": lambda: {"original_language": "en", "title": {"en": "Seagrass in Lamu"}},
        "FAQ": lambda: {
            "original_language": "en",
            "question": {"en": "How do we register a need for seagrass training?"},
            "answer": {"en": "Open My work, then New need."},
        },
        "KNOW": lambda: {
            "original_language": "en",
            "title": {"en": "Seagrass surveys by fishers"},
            "summary": {"en": "Fishers learnt to survey seagrass beds."},
            "results": {"en": "Ten beds surveyed each season."},
        },
        "COP": lambda: {
            "original_language": "en",
            "name": {"en": "Seagrass monitoring practitioners"},
            "description": {"en": "Rangers and researchers comparing seagrass survey methods."},
            "code_of_conduct": {"en": "Be kind; cite your sources."},
        },
    }
    if record_type.code not in samples:
        pytest.fail(f"Give {model.__name__} publishable content in this test")
    return samples[record_type.code]()


def _found(word: str) -> set[str]:
    """The records whose indexed text holds the word (not those found by meaning: a record
    whose title is a word close to a confidential one is near it, without telling it)."""
    hits = service.search(SearchQuery(text=word, page_size=100)).hits
    return {hit.key for hit in hits if not hit.by_meaning}


def _stored(identifier: str) -> StoredEmbedding | None:
    """The record's row in its catalogue (a record taken out keeps an inactive row until the
    nightly rebuild, so that other hosts learn of the removal)."""
    return StoredEmbedding.objects.filter(identifier=identifier, active=True).first()


@pytest.mark.parametrize("record_type", TYPES, ids=lambda record_type: record_type.code)
def test_each_searched_field_changed_through_the_workflow_reaches_search_and_matching(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    record = _publish(record_type.model, world, _content(record_type, world, capture), capture)
    searched = record_type.search
    assert searched is not None
    for number, name in enumerate((searched.title, *searched.texts)):
        word = f"kelpwarden{'abcdefghij'[number]}"
        with capture(execute=True):
            workflow.save_draft(record, actor=None, values={name: {"en": word}}, base_revision=None)
            workflow.submit(record, actor=None)
            record = workflow.publish(record, actor=None)
        # A confidential field the owner did not disclose never reaches the public index.
        public = name not in access.hidden_fields(None, record)
        assert (record.identifier in _found(word)) == public, name
        # Every type is embedded: a matched one in its catalogue, any other in "records".
        stored = _stored(record.identifier)
        assert stored is not None and stored.side == (record_type.side or "record")
        if name == searched.title:
            assert stored.profile["title"] == word
        elif record_type.matching is None:
            # A searched type's texts are what is embedded of it, confidential ones only if
            # disclosed, as in the index.
            assert (word in stored.profile["description"]) == public, name
    with capture(execute=True):
        workflow.archive(record, actor=None)
    assert record.identifier not in _found("kelpwardena")
    assert _stored(record.identifier) is None


@pytest.mark.parametrize("record_type", TYPES, ids=lambda record_type: record_type.code)
def test_documents_cost_the_same_queries_for_one_record_or_several(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert list(records.provide(None))
        return len(context.captured_queries)

    _publish(record_type.model, world, _content(record_type, world, capture), capture)
    one = queries()
    for _ in range(3):
        _publish(record_type.model, world, _content(record_type, world, capture), capture)
    assert queries() == one


def test_a_needs_status_is_in_search_at_once_and_an_addressed_need_leaves_matching(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    need = _publish(Need, world, _need_values(), capture)
    assert _stored(need.identifier) is not None
    with capture(execute=True):
        need_services.change_status(need, actor=world.focal_point, status=NeedStatus.MATCHED)
    matched = service.search(SearchQuery(filters={"status": ["matched"]}))
    assert [hit.key for hit in matched.hits] == [need.identifier]
    assert _stored(need.identifier) is not None
    with capture(execute=True):
        need_services.change_status(need, actor=world.focal_point, status=NeedStatus.ADDRESSED)
    assert service.search(SearchQuery(filters={"status": ["addressed"]})).total == 1
    assert service.search(SearchQuery(filters={"status": ["matched"]})).total == 0
    # An addressed need asks for nothing more.
    assert _stored(need.identifier) is None


def test_an_opportunity_closed_at_its_deadline_is_closed_in_search_and_out_of_matching(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    values = support_services.values_from_form(Opportunity, sample(Opportunity, world), "en")
    opportunity = _publish(Opportunity, world, values | {"original_language": "en"}, capture)
    assert _stored(opportunity.identifier) is not None
    Opportunity.objects.filter(pk=opportunity.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with capture(execute=True):
        assert support_services.close_past_deadlines() == [opportunity.identifier]
    closed = service.search(SearchQuery(filters={"status": ["closed"]}))
    assert [hit.key for hit in closed.hits] == [opportunity.identifier]
    assert _stored(opportunity.identifier) is None


def test_counts_by_a_dimension_take_one_query(world: World, django_capture_on_commit_callbacks: Any) -> None:
    capture = django_capture_on_commit_callbacks
    first = _publish(Need, world, _need_values(), capture)
    _publish(Need, world, _need_values("Another need"), capture)
    need_services.change_status(first, actor=world.focal_point, status=NeedStatus.MATCHED)
    need_type = registry.of(Need)
    with CaptureQueriesContext(connection) as context:
        assert registry.counts(need_type, "status") == {"matched": 1, "open": 1}
    assert len(context.captured_queries) == 1
    assert registry.counts(need_type, "party") == {"KE": 2}
    assert registry.counts(need_type, "subject") == {"SUBJ-MARINE-COASTAL": 2}
    with pytest.raises(KeyError):
        registry.counts(need_type, "colour")
