"""Knowledge products are one registered record type: searched in the language they are written
in, faceted by kind, subject and target, syndicated, exported, counted by monitoring (as
``knowledge.published``, wired to the plan's indicators 20.1 and 99.1a), with identifiers of
their own; they are not matched."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.test import Client
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.knowledge.tests.conftest import publish_product
from clearinghouse.monitoring.catalogue import CATALOGUE_FILE
from clearinghouse.publishing import registry
from clearinghouse.search import labels, service
from clearinghouse.search.documents import SearchQuery

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_knowledge_products_are_registered_once_searched_syndicated_and_exported_but_not_matched() -> None:
    knowledge = registry.of(Knowledge)
    assert knowledge.code == "KNOW" and knowledge.name == "knowledge"
    assert knowledge.side is None and knowledge.matching is None
    assert knowledge.feed is not None and registry.feed("knowledge") is knowledge.feed
    assert knowledge.search is not None and knowledge.search.title == "title"
    assert knowledge.exchange is not None
    assert set(registry.dimensions(knowledge)) >= {"kind", "language", "party", "region", "subject", "target"}
    assert registry.for_identifier("CB-KNOW-KE-000001") is knowledge
    assert "knowledge.published" in registry.measures()


@pytest.fixture
def products(world: World, django_capture_on_commit_callbacks: Any) -> dict[str, Knowledge]:
    commit = django_capture_on_commit_callbacks
    return {
        "es": publish_product(
            world,
            commit,
            language="es",
            kind="success_story",
            title={"es": "Guardaparques que forman a sus colegas"},
            results={"es": "Veinte guardaparques capacitados en monitoreo de arrecifes."},
        ),
        "ar": publish_product(
            world,
            commit,
            language="ar",
            kind="lesson_learnt",
            title={"ar": "ترجمة استمارات الرصد قبل الدورة"},
            summary={"ar": "يجب ترجمة استمارات الرصد إلى العربية قبل الدورة التدريبية."},
        ),
        "zh": publish_product(world, commit, language="zh", title={"zh": "海草监测的良好做法"}),
    }


def test_a_product_gets_an_identifier_of_its_type_and_owner(products: dict[str, Knowledge]) -> None:
    assert products["es"].identifier.startswith("CB-KNOW-KE-")


@pytest.mark.parametrize(("language", "words"), [("es", "guardaparques"), ("ar", "استمارات"), ("zh", "海草")])
def test_search_finds_a_product_by_words_of_its_own_language(
    products: dict[str, Knowledge], language: str, words: str
) -> None:
    result = service.search(
        SearchQuery(text=words, language=language, filters={"record_type": ["knowledge"]})
    )
    assert [hit.key for hit in result.hits if not hit.by_meaning] == [products[language].identifier]


def test_the_search_facets_give_the_kind_subject_and_target(products: dict[str, Knowledge]) -> None:
    facets = service.search(SearchQuery(filters={"record_type": ["knowledge"]})).facets
    assert facets["knowledge_kind"] == {"success_story": 1, "lesson_learnt": 1, "good_practice": 1}
    assert facets["subject"] == {"SUBJ-INVASIVE-ALIEN-SPECIES": 3}
    assert facets["target"] == {"GBF-T6": 3}
    # Named in the reader's language (the view activates it), the type as well as its kinds.
    with translation.override("fr"):
        assert labels.labels("knowledge_kind", ["lesson_learnt"], "fr") == {
            "lesson_learnt": "Enseignement tiré"
        }
        assert labels.labels("record_type", ["knowledge"], "fr") == {"knowledge": "Produit de connaissance"}


def test_the_feed_lists_published_products_in_their_languages(
    products: dict[str, Knowledge], client: Client
) -> None:
    feed = client.get("/feeds/knowledge/").content.decode()
    assert "Guardaparques que forman a sus colegas" in feed and "海草监测的良好做法" in feed


def test_monitoring_counts_published_products_by_kind_and_party(products: dict[str, Knowledge]) -> None:
    knowledge = registry.of(Knowledge)
    assert registry.counts(knowledge, "kind") == {"success_story": 1, "lesson_learnt": 1, "good_practice": 1}
    assert registry.counts(knowledge, "party") == {"KE": 3}
    assert registry.counts(knowledge, "language") == {"es": 1, "ar": 1, "zh": 1}


def test_the_plan_indicators_on_case_studies_and_success_stories_count_knowledge_products() -> None:
    catalogue = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    indicators = {str(row["code"]): row for row in catalogue["indicators"]}
    # 20.1 "examples of success stories compiled", 99.1a "country case studies available".
    for code in ("20.1", "99.1a"):
        assert indicators[code]["numerator"] == "knowledge.published", code
        assert indicators[code]["activity_only"] is True


def test_the_export_gives_published_products_with_their_texts_and_links(
    products: dict[str, Knowledge], client: Client
) -> None:
    response = client.get("/en/knowledge/export/?format=json")
    assert response.status_code == 200
    items = {item["identifier"]: item for item in json.loads(response.content)}
    exported = items[products["ar"].identifier]
    assert exported["title"]["ar"] == "ترجمة استمارات الرصد قبل الدورة"
    assert exported["kind"] == "lesson_learnt" and exported["subjects"] == ["SUBJ-INVASIVE-ALIEN-SPECIES"]
    assert client.get("/en/knowledge/export/?format=xlsx").status_code == 200
    assert "Guardaparques" in client.get("/en/knowledge/export/?format=csv").content.decode("utf-8-sig")


def test_the_shared_record_address_resolves_to_the_products_page(
    products: dict[str, Knowledge], client: Client
) -> None:
    product = products["es"]
    response = client.get(f"/r/{product.identifier}")
    assert response.status_code == 302 and response["Location"].endswith(f"/knowledge/{product.identifier}/")
