"""Harvested initiatives are published like any other: search finds them and matching
suggests them for a need. They are read-only here, with a link to their original."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

from clearinghouse.core.testing import World
from clearinghouse.harvest import services
from clearinghouse.harvest.models import HarvestedRecord, Run, Source
from clearinghouse.matching.suggestions import support_for
from clearinghouse.matching.tests.records import publish_need
from clearinghouse.publishing import workflow
from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.support.models import Initiative

from .conftest import FakeClearingHouse, make_source

pytestmark = pytest.mark.usefixtures("vocabularies")

REEF = "7C1F4E2A-3B5D-4A9E-9F21-6D8B0C3E5A17"


@pytest.fixture(autouse=True)
def _index_dir(tmp_path: Any) -> Any:
    with override_settings(MATCHING_INDEX_DIR=str(tmp_path / "matching")):
        yield


@pytest.fixture
def reef(world: World, house: FakeClearingHouse, django_capture_on_commit_callbacks: Any) -> Initiative:
    source = make_source(world, house.serve("/feed", "chm-initiatives.json"))
    with django_capture_on_commit_callbacks(execute=True):
        services.harvest(source)
    return Initiative.objects.get(identifier=HarvestedRecord.objects.get(source_identifier=REEF).identifier)


def test_a_harvested_initiative_is_found_by_search_and_suggested_for_a_need(
    reef: Initiative, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    found = service.search(SearchQuery(text="coral reef monitoring", filters={"record_type": ["initiative"]}))
    assert reef.identifier in [hit.key for hit in found.hits]
    assert service.search(SearchQuery(text="récifs coralliens")).total >= 1
    need = publish_need(
        django_capture_on_commit_callbacks,
        owner=world.kenya,
        language="en",
        title="Training rangers in coral reef monitoring",
        description="Our marine park rangers need training in reef survey methods.",
        subjects=("SUBJ-MARINE-COASTAL",),
        targets=("GBF-T3",),
    )
    suggested = [suggestion.record.identifier for suggestion in support_for(need)]
    assert reef.identifier in suggested


def test_nobody_changes_it_here(reef: Initiative, world: World, client: Client) -> None:
    with pytest.raises(PermissionDenied, match="comes from CBD Clearing-House Mechanism and is kept there"):
        workflow.save_draft(
            reef, actor=world.secretariat, values={"title": {"en": "Mine now"}}, base_revision=None
        )
    with pytest.raises(PermissionDenied):
        workflow.archive(reef, actor=world.secretariat)
    client.force_login(world.secretariat)
    refused = client.get(f"/en/support/edit/{reef.identifier}/")
    assert refused.status_code == 403
    assert "comes from CBD Clearing-House Mechanism and is kept there" in refused.content.decode()
    page = client.get(reef.get_absolute_url()).content.decode()
    assert "From CBD Clearing-House Mechanism" in page
    assert f'href="https://chm.cbd.int/database/{REEF}"' in page
    assert f"/support/edit/{reef.identifier}/" not in page and 'action="/en/records/' not in page


def test_the_original_is_linked_in_arabic(reef: Initiative, client: Client) -> None:
    page = client.get(f"/ar/support/initiatives/{reef.identifier}/").content.decode()
    assert 'dir="rtl"' in page and f"https://chm.cbd.int/database/{REEF}" in page


def test_the_secretariat_registers_a_source_and_harvests_it_now(
    world: World, house: FakeClearingHouse, client: Client
) -> None:
    client.force_login(world.secretariat)
    form = client.get("/ar/harvest/new/").content.decode()
    assert 'dir="rtl"' in form and 'value="chm-initiative"' in form and 'name="record_url"' in form
    answer = client.post(
        "/en/harvest/new/",
        {
            "name": "Kenya national CHM",
            "url": house.serve("/feed", "chm-initiatives.json"),
            "mapping": "chm-initiative",
            "record_url": "https://ke.chm-cbd.net/records/{identifier}",
            "owner_country": world.kenya.pk,
            "schedule": "weekly",
            "enabled": "on",
        },
    )
    source = Source.objects.get()
    assert answer.status_code == 302 and source.owner == world.kenya
    client.post(f"/en/harvest/{source.pk}/run/")
    run = Run.objects.get()
    assert run.created == 3
    page = client.get(f"/fr/harvest/{source.pk}/").content.decode()
    assert "Kenya national CHM" in page and "Moissonner maintenant" in page
    listed = client.get("/es/harvest/").content.decode()
    assert "Kenya national CHM" in listed and "Fuentes de recolección" in listed
    assert client.get(f"/zh-hans/harvest/runs/{run.pk}/").status_code == 200
    # Harvested this week: not due again until next week.
    assert services.due_sources() == []


def test_a_source_needs_one_owner(world: World, client: Client) -> None:
    client.force_login(world.secretariat)
    answer = client.post(
        "/en/harvest/new/",
        {
            "name": "No owner",
            "url": "https://example.org/feed",
            "mapping": "chm-initiative",
            "schedule": "daily",
        },
    )
    assert answer.status_code == 200 and not Source.objects.exists()
