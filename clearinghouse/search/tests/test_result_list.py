"""The result list: titles and snippets in their language's direction, a note on hits found by
meaning alone, the type and identifier of each hit, and facets that show five values and keep
the rest under "More"."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client

from clearinghouse.search import service
from clearinghouse.search.documents import SearchQuery, SearchResult
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def records() -> None:
    service.index(
        [
            document("AR-1", language="ar", title="حماية الغابات", text="تدريب على إدارة الغابات"),
            document("EN-1", title="Forest restoration", text="Restoring forests.", party=["KE"]),
            document(
                "ORG-NK",
                title="Nature Kenya",
                text="NK · Non-governmental organisation · Kenya",
                record_type="organisation",
                url_path="/en/organisations/3/",
            ),
            *(
                document(f"X-{number}", title=f"Wetlands {number}", party=[f"P{number}"])
                for number in range(8)
            ),
        ]
    )


def test_titles_and_snippets_carry_the_language_and_direction_of_their_text(client: Client) -> None:
    html = client.get("/en/search/", {"q": "الغابات"}).content.decode()
    assert 'lang="ar" dir="rtl">حماية الغابات</a>' in html
    assert re.search(r'<p lang="ar" dir="rtl">[^<]*<mark>', html)
    html = client.get("/ar/search/", {"q": "forest"}).content.decode()
    assert 'lang="en" dir="ltr">Forest restoration</a>' in html


def test_an_organisation_links_to_its_page_in_the_readers_language_without_a_date(client: Client) -> None:
    html = client.get("/fr/search/", {"q": "nature kenya"}).content.decode()
    assert 'href="/fr/organisations/3/"' in html
    meta = re.search(r'<p class="hit-meta"><small>(.*?)</small>', html, re.S)
    assert meta is not None
    assert "Organisation" in meta.group(1) and "ORG-NK" in meta.group(1)
    assert "<time" not in meta.group(1)


def test_a_hit_found_by_meaning_says_none_of_the_words_are_in_it(client: Client, monkeypatch: Any) -> None:
    search = service.search

    def by_meaning(query: SearchQuery) -> SearchResult:
        result = search(query)
        return replace(result, hits=[replace(hit, by_meaning=hit.key == "EN-1") for hit in result.hits])

    monkeypatch.setattr(service, "search", by_meaning)
    html = client.get("/fr/search/", {"q": "forest"}).content.decode()
    assert html.count('class="hit-note"') == 1
    assert "Trouvé par le sens" in html


def test_each_facet_shows_five_values_and_keeps_the_rest_under_more(client: Client) -> None:
    html = client.get("/en/search/", {"party": "P7"}).content.decode()
    party = html[
        html.index("<legend>Country</legend>") : html.index(
            "</fieldset>", html.index("<legend>Country</legend>")
        )
    ]
    first, _more, rest = party.partition('<details class="facet-more">')
    # The five most frequent, and the chosen one although it comes later.
    assert first.count('name="party"') == 6
    assert 'value="P7" form="search" checked' in first
    # KE and P0 to P7, one record each: KE, P0 to P3 first, then P4 to P6.
    assert "3 more" in rest
    assert rest.count('name="party"') == 3
    assert "(1 filter chosen)" in html


def test_the_introduction_gives_way_to_the_results_once_searched(client: Client) -> None:
    assert 'class="lead"' in client.get("/en/search/").content.decode()
    assert 'class="lead"' not in client.get("/en/search/", {"q": "forest"}).content.decode()
