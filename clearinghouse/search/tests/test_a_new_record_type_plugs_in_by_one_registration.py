"""A record type registered once (the test app's case studies, the example of docs/records.md) is
searchable with its facets, has its feed, its statistics and its /r/ link, with no other edit."""

from __future__ import annotations

from io import StringIO
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.publishing import registry, workflow
from clearinghouse.publishing.tests.testapp.models import Case
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def case(world: World, django_capture_on_commit_callbacks: Any) -> Case:
    load_vocabularies(data_files())
    with django_capture_on_commit_callbacks(execute=True):
        record = workflow.create(
            Case,
            actor=world.authorised_user,
            owner=world.kenya,
            values={
                "original_language": "en",
                "title": {"en": "Community seagrass mapping in Lamu"},
                "summary": {"en": "Fishers charted the meadows with drones."},
                "lessons": {"en": "Start with the fishers' own maps."},
                "contact_email": "lamu@example.org",
                "subjects": list(Term.objects.filter(code="SUBJ-MARINE-COASTAL")),
            },
        )
        workflow.submit(record, actor=world.authorised_user)
        return workflow.publish(record, actor=world.focal_point)


def test_a_published_case_study_is_found_with_its_facets(case: Case) -> None:
    result = service.search(SearchQuery(text="seagrass", filters={"record_type": ["case"]}))
    assert [hit.key for hit in result.hits] == [case.identifier]
    assert result.facets["subject"] == {"SUBJ-MARINE-COASTAL": 1}
    assert result.facets["party"] == {"KE": 1}
    # The lessons are searched too.
    assert service.search(SearchQuery(text="fishers")).total == 1


def test_its_confidential_contact_never_reaches_the_index(case: Case) -> None:
    assert service.search(SearchQuery(text="lamu@example.org")).total == 0


def test_it_has_its_feed_its_statistics_and_its_link(case: Case, client: Client) -> None:
    feed = ElementTree.fromstring(client.get("/feeds/case-studies/").content)  # noqa: S314 - our own feed
    assert [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")] == [
        "Community seagrass mapping in Lamu"
    ]
    assert registry.counts(registry.of(Case), "subject") == {"SUBJ-MARINE-COASTAL": 1}
    response = client.get(f"/r/{case.identifier}")
    assert response.status_code == 302 and response["Location"].endswith(f"/records/{case.identifier}/")


def test_archiving_it_takes_it_out_of_search(
    case: Case, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        workflow.archive(case, actor=world.focal_point)
    assert service.search(SearchQuery(text="seagrass")).total == 0


def test_a_feed_no_type_declares_does_not_exist(db: None, client: Client) -> None:
    assert client.get("/feeds/nothing/").status_code == 404


def test_rebuildindex_reads_it_from_the_database_with_every_other_type(case: Case) -> None:
    # On PostgreSQL the documents are read from the connection the index is copied through.
    service.rebuild([])
    assert service.search(SearchQuery(text="seagrass")).total == 0
    out = StringIO()
    call_command("rebuildindex", stdout=out)
    assert "case: 1" in out.getvalue()
    assert [hit.key for hit in service.search(SearchQuery(text="seagrass")).hits] == [case.identifier]
