"""GET /api/v1/search/: the service's answer as JSON, bad parameters as 400 in the one error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.search import service
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> None:
    service.index(
        [
            document(
                "EN-1",
                title="Forest restoration",
                text="Restoring forests.",
                party=["KE"],
                support_type=["training"],
                facet_language=["en"],
            ),
            document(
                "EN-2",
                title="Forest funding",
                record_type="offer",
                party=["TZ"],
                support_type=["funding"],
                facet_language=["en", "fr"],
            ),
        ]
    )


@pytest.mark.usefixtures("records")
def test_search_returns_hits_total_and_facets(client: Client) -> None:
    body = client.get("/api/v1/search/", {"q": "forest", "party": "KE"}).json()
    assert body["total"] == 1
    assert body["approximate"] is False
    assert body["notice"] is None
    assert body["hits"][0]["key"] == "EN-1"
    assert body["hits"][0]["title_language"] == "en"
    assert body["facets"]["party"] == {"KE": 1, "TZ": 1}


@pytest.mark.usefixtures("records")
def test_filters_repeat_for_any_of_several_values(client: Client) -> None:
    body = client.get("/api/v1/search/?party=KE&party=TZ&record_type=offer").json()
    assert [hit["key"] for hit in body["hits"]] == ["EN-2"]


@pytest.mark.usefixtures("records")
def test_the_language_facet_is_filtered_with_in_language_beside_the_readers_language(client: Client) -> None:
    body = client.get("/api/v1/search/", {"in_language": "fr", "language": "fr"}).json()
    assert [hit["key"] for hit in body["hits"]] == ["EN-2"]
    assert client.get("/api/v1/search/", {"in_language": "en"}).json()["total"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "500"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"sort": "sideways"}, "sort"),
        ({"published_from": "yesterday"}, "published_from"),
        ({"language": "de"}, "language"),
        ({"published_to": ""}, "published_to"),
        ({"page": ""}, "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(
    client: Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.usefixtures("records")
def test_an_inverted_date_range_matches_nothing(client: Client) -> None:
    body = client.get(
        "/api/v1/search/", {"published_from": "2026-02-01", "published_to": "2026-01-01"}
    ).json()
    assert body["total"] == 0


@pytest.mark.usefixtures("records")
def test_empty_filter_values_are_ignored(client: Client) -> None:
    assert client.get("/api/v1/search/?party=&q=forest").json()["total"] == 2


def test_a_long_query_is_answered_with_a_notice_in_the_requests_language(client: Client) -> None:
    response = client.get("/api/v1/search/", {"q": "x " * 5000}, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert response.json()["notice"].startswith("Your search was too long")
