"""The home page: live figures counted from the database (cached briefly), the latest published
records in the reader's language, links into every area that exists and that all lead
somewhere, and no promise of an area the platform does not have."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clearinghouse.core import showcase
from clearinghouse.core.testing import World
from clearinghouse.matchmaking.models import Cooperation
from clearinghouse.matchmaking.tests.conftest import publish_need, publish_support
from clearinghouse.needs.models import Need
from clearinghouse.organisations.models import Organisation
from clearinghouse.support.models import RECORD_MODELS
from clearinghouse.vocabularies.services import data_files, load_vocabularies

# What the next areas will build; until they exist the home page must not promise them.
NOT_YET = ("alumni", "monitoring and evaluation", "progress report")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return list(dict.fromkeys(parser.hrefs))


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    showcase.forget()
    yield
    showcase.forget()


@pytest.fixture
def published(world: World, django_capture_on_commit_callbacks: Any) -> tuple[Need, Any]:
    load_vocabularies(data_files())
    commit = django_capture_on_commit_callbacks
    return publish_need(world, commit, title="Training customs officers"), publish_support(world, commit)


def test_the_figures_are_counted_from_the_database(world: World, published: Any, client: Client) -> None:
    expected = {
        "needs": Need.objects.filter(live=True).count(),
        "support": sum(model.objects.filter(live=True).count() for model in RECORD_MODELS),
        "organisations": Organisation.objects.count(),
        # Both records are Kenya's: the need, and the offer of a Kenyan organisation.
        "parties": 1,
        "partnerships": Cooperation.objects.count(),
    }
    assert showcase.counts() == expected
    assert (expected["needs"], expected["support"]) == (1, 1)
    page = client.get("/en/").content.decode()
    assert "1 published need" in page
    assert "1 published support record" in page
    assert f"{expected['organisations']} organisations in the directory" in page
    assert "1 Party with published records" in page
    assert "0 partnerships made through matchmaking" in page


def test_the_figures_are_cached_briefly_and_follow_publication(
    world: World, published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    need, _offer = published
    assert showcase.counts()["needs"] == 1
    # A change that does not go through the services is seen once the cache expires...
    Need.objects.filter(pk=need.pk).update(live=False)
    assert showcase.counts()["needs"] == 1
    showcase.forget()
    assert showcase.counts()["needs"] == 0
    # ...a publication at once (publishing's record_changed clears it).
    publish_need(world, django_capture_on_commit_callbacks, title="Marine spatial planning")
    assert showcase.counts()["needs"] == 1


def test_the_latest_records_show_their_type_and_owner_in_the_readers_language(
    world: World, published: Any, client: Client
) -> None:
    need, offer = published
    page = client.get("/fr/").content.decode()
    assert f'href="/fr/needs/{need.identifier}/"' in page
    assert f'href="/fr/support/offers/{offer.identifier}/"' in page
    assert "Training customs officers" in page
    assert 'lang="en"' in page  # the title is shown in its own language
    assert "Besoin" in page  # the type, in French
    assert "Kenya" in page and "Nature Kenya" in page


def test_a_warm_home_page_costs_few_queries(world: World, published: Any, client: Client) -> None:
    client.get("/en/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/").status_code == 200
    assert len(queries) <= 2, [query["sql"] for query in queries]


@pytest.mark.parametrize("prefix", ["en", "fr", "es", "ru", "ar", "zh"])
def test_no_promise_of_areas_that_do_not_exist(world: World, client: Client, prefix: str) -> None:
    response = client.get(f"/{prefix}/")
    page = response.content.decode().lower()
    with translation.override(response["Content-Language"]):
        for words in NOT_YET:
            assert words not in page, words
            assert translation.gettext(words).lower() not in page, words


@pytest.mark.parametrize("person", [None, "focal_point", "partner_editor", "helpdesk_agent", "learner"])
def test_every_link_of_the_home_page_leads_somewhere(
    world: World, published: Any, client: Client, person: str | None
) -> None:
    if person:
        client.force_login(getattr(world, person))
    page = client.get("/en/").content.decode()
    for area in (
        "/en/needs/",
        "/en/needs/offline/",
        "/en/support/",
        "/en/search/",
        "/en/organisations/",
        "/en/plan/",
        "/api/v1/docs/",
    ):
        assert f'href="{area}"' in page, area
    for href in _links(page):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#"):
            continue
        response = client.get(href, follow=True)
        assert response.status_code == 200, (person, href, response.status_code)
