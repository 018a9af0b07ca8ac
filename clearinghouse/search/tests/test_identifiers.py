"""A query that is a public identifier goes straight to its record; the start of identifiers finds
the records whose identifiers start so; an identifier nothing has is said to be unknown."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.search import service
from clearinghouse.search.tests.factories import document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def records() -> None:
    service.index(
        [
            document("CB-NEED-KE-000001", title="Mangrove nursery", url_path="/r/CB-NEED-KE-000001"),
            document("CB-NEED-KE-000002", title="Seed bank"),
            document("CB-NEED-TZ-000001", title="Seed bank for Zanzibar"),
            document(
                "CB-OFFER-IFDD-000012", title="Training on the CB-NEED-KE-000002 needs", record_type="offer"
            ),
            document(
                "ORG-IFDD",
                title="Institut de la Francophonie",
                record_type="organisation",
                url_path="/en/organisations/7/",
            ),
        ]
    )


@pytest.mark.parametrize("typed", ["CB-NEED-KE-000001", "cb-need-ke-000001", "  Cb-Need-Ke-000001 \t"])
def test_an_identifier_in_any_case_redirects_to_its_record(client: Client, typed: str) -> None:
    response = client.get("/en/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/r/CB-NEED-KE-000001"


def test_a_page_with_a_language_in_its_address_opens_in_the_readers(client: Client) -> None:
    response = client.get("/ar/search/", {"q": "org-ifdd"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/organisations/7/"


def test_the_api_answers_an_identifier_with_its_record_first(client: Client) -> None:
    # The offer names the need in its title: by words alone it would rank first.
    body = client.get("/api/v1/search/", {"q": "cb-need-ke-000002"}).json()
    keys = [hit["key"] for hit in body["hits"]]
    assert keys == ["CB-NEED-KE-000002", "CB-OFFER-IFDD-000012"]
    assert body["notice"] is None


def test_the_start_of_identifiers_finds_the_records_whose_identifiers_start_so(client: Client) -> None:
    body = client.get("/api/v1/search/", {"q": "CB-NEED-KE"}).json()
    assert {hit["key"] for hit in body["hits"]} == {
        "CB-NEED-KE-000001",
        "CB-NEED-KE-000002",
        "CB-OFFER-IFDD-000012",
    }
    body = client.get("/api/v1/search/", {"q": "cb-need"}).json()
    assert body["total"] == 4  # the three needs, and the offer that names one


def test_an_identifier_of_a_known_kind_that_nothing_has_is_searched_with_a_notice(client: Client) -> None:
    page = client.get("/en/search/", {"q": "CB-NEED-KE-999999"})
    assert page.status_code == 200
    assert "No record has the identifier CB-NEED-KE-999999" in page.content.decode()
    body = client.get("/api/v1/search/", {"q": "cb-need-ke-999999"}, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["total"] == 0
    assert body["notice"].startswith("Aucune fiche n'a l'identifiant CB-NEED-KE-999999")


def test_hyphenated_words_are_words_not_unknown_identifiers(client: Client) -> None:
    service.index([document("EN-9", title="COVID-19 recovery and nature")])
    body = client.get("/api/v1/search/", {"q": "covid-19"}).json()
    assert [hit["key"] for hit in body["hits"]] == ["EN-9"]
    assert body["notice"] is None
    assert (
        "No record has the identifier" not in client.get("/en/search/", {"q": "post-2020"}).content.decode()
    )
