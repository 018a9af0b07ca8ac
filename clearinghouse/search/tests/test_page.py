"""The search page: a GET form that works without JavaScript, labelled facets, accessible."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.geo.models import Country
from clearinghouse.search import service
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> None:
    Country.objects.update_or_create(
        code="KE", defaults={"alpha3": "KEN", "names": {"en": "Kenya", "fr": "Kenya", "ar": "كينيا"}}
    )
    service.index(
        [
            document(
                "EN-1",
                title="Forest restoration <training>",
                text="Restoring forests & rangelands.",
                party=["KE"],
            ),
            document(
                "AR-1", language="ar", title="حماية الغابات", text="تدريب على إدارة الغابات.", party=["EG"]
            ),
        ]
    )


@pytest.mark.usefixtures("records")
def test_the_page_lists_hits_with_marked_snippets_and_escaped_text(client: Client) -> None:
    html = client.get("/en/search/", {"q": "forests"}).content.decode()
    assert 'role="status"' in html
    assert "1 result" in html
    assert "Forest restoration &lt;training&gt;" in html
    assert "<mark>forests</mark> &amp; rangelands" in html
    assert 'lang="en"' in html


@pytest.mark.usefixtures("records")
def test_an_arabic_title_carries_its_language(client: Client) -> None:
    html = client.get("/ar/search/", {"q": "الغابات"}).content.decode()
    assert 'lang="ar" dir="rtl">حماية الغابات</a>' in html


@pytest.mark.usefixtures("records")
def test_facet_groups_are_fieldsets_with_legends_and_labelled_checkboxes(client: Client) -> None:
    html = client.get("/en/search/").content.decode()
    assert "<legend>Country</legend>" in html
    # Beside the results, outside the form element, and still part of its search.
    assert '<input type="checkbox" name="party" value="KE" form="search">' in html
    assert "Kenya</span> (1)" in html
    assert 'for="id_q"' in html


@pytest.mark.usefixtures("records")
def test_checked_filters_stay_checked_and_narrow_the_results(client: Client) -> None:
    html = client.get("/en/search/", {"party": "KE"}).content.decode()
    assert 'value="KE" form="search" checked' in html
    assert "1 result" in html


@pytest.mark.usefixtures("records")
def test_a_notice_explains_a_shortened_query(client: Client) -> None:
    html = client.get("/en/search/", {"q": "forest " * 100}).content.decode()
    assert "only the first 200 characters were used" in html


def test_bad_dates_and_pages_are_ignored_not_errors(client: Client) -> None:
    response = client.get("/en/search/", {"published_from": "not-a-date", "page": "x", "sort": "sideways"})
    assert response.status_code == 200


@pytest.mark.usefixtures("records")
def test_the_page_takes_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # Search, hits, and one label look-up per kind of facet: not one query per hit or value.
    with django_assert_max_num_queries(16):
        client.get("/en/search/", {"q": "forests", "party": "KE"})


def test_search_is_in_the_main_navigation(client: Client) -> None:
    assert 'href="/en/search/"' in client.get("/en/").content.decode()
