"""Organisations are searched beside the records: found by their names in any language, their
acronym, type and country, filtered by their country's Party, and kept in step with the registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.organisations import services as organisation_services
from clearinghouse.organisations.models import Organisation
from clearinghouse.search import organisations, service
from clearinghouse.search.documents import SearchQuery
from clearinghouse.search.labels import RECORD_TYPES
from clearinghouse.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def _keys(text: str, language: str = "en", **filters: list[str]) -> list[str]:
    result = service.search(SearchQuery(text=text, language=language, filters=filters))
    return [hit.key for hit in result.hits]


@pytest.fixture
def indexed_organisations(world: World) -> World:
    world.kenyan_ngo.acronym = "NK"
    world.kenyan_ngo.name_translations = {"fr": "Nature Kenya (association)", "ar": "الطبيعة كينيا"}
    world.kenyan_ngo.save()
    service.index(organisations.provide(None))
    return world


def test_an_organisation_is_found_by_its_names_acronym_type_and_country(indexed_organisations: World) -> None:
    key = organisations.key(indexed_organisations.kenyan_ngo.code)
    assert key in _keys("Nature Kenya")
    assert key in _keys("الطبيعة", language="ar")
    assert key in _keys("NK")
    # Its type and country are written in the six languages: a Spanish reader's words find it.
    assert key in _keys("gubernamental Kenia", language="es")
    assert key in _keys("肯尼亚", language="zh")


def test_an_organisation_is_filtered_by_its_countrys_party_and_links_to_its_page(
    indexed_organisations: World, client: Client
) -> None:
    world = indexed_organisations
    tanzanian = set(_keys("", party=["TZ"]))
    assert tanzanian == {
        organisations.key(world.tanzanian_ngo.code),
        organisations.key(world.tanzanian_iplc.code),
    }
    page = client.get("/fr/search/", {"q": "Nature Kenya"}).content.decode()
    assert f'href="/fr/organisations/{world.kenyan_ngo.pk}/"' in page
    assert "Organisation" in page


def test_the_index_follows_an_organisation_changed_through_its_service(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    organisation = Organisation(
        name="Kenya Wildlife Friends", name_language="en", type="ngo", country=world.kenya
    )
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.register(actor=world.secretariat, organisation=organisation)
    key = organisations.key(organisation.code)
    assert _keys("wildlife friends") == [key]
    organisation.name_translations = {"fr": "Amis de la faune du Kenya"}
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.change(actor=world.secretariat, organisation=organisation)
    assert _keys("faune", language="fr") == [key]
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()
    assert not SearchEntry.objects.filter(key=key).exists()


def test_the_new_types_have_labels_in_six_languages() -> None:
    expected = {
        "ar": ("المنظمة", "نشاط من خطة العمل"),
        "zh-hans": ("组织", "行动计划活动"),
        "en": ("Organisation", "Action plan activity"),
        "fr": ("Organisation", "Activité du plan d'action"),
        "ru": ("Организация", "Мероприятие плана действий"),
        "es": ("Organización", "Actividad del plan de acción"),
    }
    for language, labels in expected.items():
        with translation.override(language):
            assert (str(RECORD_TYPES["organisation"]), str(RECORD_TYPES["activity"])) == labels
