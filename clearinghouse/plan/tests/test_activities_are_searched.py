"""The action plan's activities are searched beside the records: found by their number and their
texts in every language they have, linked to their page, and kept in step with the plan."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import services
from clearinghouse.plan.importer import ImportReport, import_plan
from clearinghouse.plan.models import Activity
from clearinghouse.plan.tests.conftest import PLAN_FILE
from clearinghouse.plan.translations import TRANSLATIONS_DIR
from clearinghouse.search import providers, service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def _keys(text: str, language: str = "en", **filters: list[str]) -> list[str]:
    result = service.search(SearchQuery(text=text, language=language, filters=filters, page_size=100))
    return [hit.key for hit in result.hits]


@pytest.fixture
def translated_plan(world: World, targets: None) -> ImportReport:
    """The annex with its translations, as `make run` imports it."""
    return import_plan(PLAN_FILE, translations=TRANSLATIONS_DIR)


@pytest.fixture
def indexed(translated_plan: ImportReport) -> None:
    service.rebuild(providers.documents(None))


def test_an_activity_is_found_by_its_number_and_its_text_in_each_language(indexed: None) -> None:
    assert _keys("activity 1 online tools")[0] == "PLAN-1"
    assert "PLAN-1" in _keys("أدوات الإنترنت", language="ar")
    assert "PLAN-1" in _keys("在线工具", language="zh")
    # Outputs and indicators are searched too.
    assert "PLAN-46" in _keys("Joint capacity-building tools and guidance developed")


def test_an_activitys_document_has_a_title_per_language_and_its_page(indexed: None) -> None:
    entry = SearchEntry.objects.get(key="PLAN-1")
    assert entry.record_type == "activity"
    assert set(entry.titles) == {"ar", "en", "fr", "es", "ru", "zh"}
    assert entry.titles["en"].startswith("Activity 1: Develop online tools")
    assert entry.titles["fr"].startswith("Activité 1")
    assert entry.url == "/en/plan/1/"


def test_an_activitys_key_leads_to_its_page_in_the_readers_language(indexed: None, client: Client) -> None:
    response = client.get("/es/search/", {"q": " plan-46 "})
    assert response.status_code == 302
    assert response["Location"] == "/es/plan/46/"
    page = client.get("/es/search/", {"q": "PLAN-999"}).content.decode()
    assert "Ningún registro tiene el identificador PLAN-999" in page


def test_activities_are_filtered_by_the_gbf_targets_of_their_aichi_targets(indexed: None) -> None:
    activity = Activity.objects.prefetch_related("aichi_targets__maps_to").exclude(aichi_targets=None).first()
    assert activity is not None
    target = activity.gbf_targets()[0].code
    assert f"PLAN-{activity.number}" in _keys("", target=[target], record_type=["activity"])


def test_progress_recorded_on_an_activity_reaches_the_index(
    indexed: None, world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    activity = Activity.objects.get(number=46)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_progress(
            world.secretariat,
            activity,
            period="2019",
            status="under_way",
            note="Zanzibar pilot",
            note_language="en",
        )
    assert _keys("zanzibar") == ["PLAN-46"]


def test_a_translation_reaches_the_index(
    indexed: None, world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    activity = Activity.objects.get(number=46)
    with django_capture_on_commit_callbacks(execute=True):
        services.translate_activity(
            world.secretariat, activity, "fr", text="Guides communs sur les pollinisateurs"
        )
    assert _keys("pollinisateurs", language="fr") == ["PLAN-46"]


def test_rebuildindex_counts_the_activities_and_organisations(plan: ImportReport) -> None:
    out = StringIO()
    call_command("rebuildindex", stdout=out)
    lines = out.getvalue().splitlines()
    assert "activity: 110" in lines
    # The test world's organisations and those the annex names.
    assert f"organisation: {Organisation.objects.count()}" in lines
