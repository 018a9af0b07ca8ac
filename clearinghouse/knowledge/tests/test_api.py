"""The read-only API of knowledge products: published ones only, their texts by language, their
links by identifier or code, and the list's filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.knowledge import services
from clearinghouse.knowledge.tests.conftest import product_values, publish_product

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_api_lists_published_products_with_their_links(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    product = publish_product(
        world, django_capture_on_commit_callbacks, language="ru", title={"ru": "Опыт мониторинга"}
    )
    draft = services.create(actor=world.authorised_user, owner=world.kenya, values=product_values())
    body = client.get("/api/v1/knowledge/").json()
    identifiers = [item["identifier"] for item in body["results"]]
    assert identifiers == [product.identifier] and draft.identifier not in identifiers
    item = client.get(f"/api/v1/knowledge/{product.identifier}/").json()
    assert item["title"] == {"ru": "Опыт мониторинга"} and item["kind"] == "good_practice"
    assert item["owner"] == "KE" and item["subjects"] == ["SUBJ-INVASIVE-ALIEN-SPECIES"]
    assert item["cooperation"] is None and item["gbf_targets"] == ["GBF-T6"]
    assert client.get(f"/api/v1/knowledge/{draft.identifier}/").status_code == 404


def test_the_api_filters_as_the_list_does(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    commit = django_capture_on_commit_callbacks
    story = publish_product(world, commit, kind="success_story")
    lesson = publish_product(world, commit, kind="lesson_learnt", language="zh", title={"zh": "经验教训"})

    def found(query: str) -> list[str]:
        return [item["identifier"] for item in client.get(f"/api/v1/knowledge/{query}").json()["results"]]

    assert found("?kind=success_story") == [story.identifier]
    assert found("?language=zh") == [lesson.identifier]
    assert found("?party=KE") == [lesson.identifier, story.identifier]
    assert found("?party=TZ") == []
