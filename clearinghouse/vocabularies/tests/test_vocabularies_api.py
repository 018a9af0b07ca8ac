"""/api/v1/vocabularies/: the vocabularies and their terms, public, in the request's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabularies() -> None:
    load_vocabularies(data_files())


def test_the_list_gives_each_vocabulary_with_its_version_and_a_link(client: Client) -> None:
    body = client.get("/api/v1/vocabularies/", headers={"accept-language": "fr"}).json()
    assert body["count"] == 7
    gbf = next(item for item in body["results"] if item["name"] == "gbf-targets")
    assert gbf["title"] == gbf["titles"]["fr"]
    assert sorted(gbf["titles"]) == ["ar", "en", "es", "fr", "ru", "zh"]
    assert (gbf["version"], gbf["release"], gbf["term_count"]) == (1, "2026.1", 27)
    assert gbf["source"].startswith("Kunming-Montreal Global Biodiversity Framework")
    assert gbf["url"] == "http://testserver/api/v1/vocabularies/gbf-targets/"


def test_a_vocabulary_lists_its_terms_in_order_with_labels_parents_and_mappings(client: Client) -> None:
    response = client.get("/api/v1/vocabularies/aichi-targets/", headers={"accept-language": "zh-hans"})
    assert response.status_code == 200
    aichi = response.json()
    assert aichi["title"] == "爱知生物多样性目标"
    terms = {term["code"]: term for term in aichi["terms"]}
    assert list(terms)[:2] == ["AICHI-SA", "AICHI-SB"]
    habitat_loss = terms["AICHI-T5"]
    assert habitat_loss["label"] == habitat_loss["labels"]["zh"] == "生境丧失减半或减少"
    assert (habitat_loss["parent"], habitat_loss["maps_to"], habitat_loss["is_active"]) == (
        "AICHI-SB",
        ["GBF-T1"],
        True,
    )


def test_aichi_targets_and_gbf_targets_point_at_each_other(client: Client) -> None:
    gbf = {term["code"]: term for term in client.get("/api/v1/vocabularies/gbf-targets/").json()["terms"]}
    assert gbf["GBF-T1"]["mapped_from"] == ["AICHI-T5"]
    assert gbf["GBF-T4"]["mapped_from"] == ["AICHI-T12", "AICHI-T13"]
    assert gbf["GBF-T1"]["maps_to"] == []
    term = client.get("/api/v1/vocabularies/aichi-targets/AICHI-T6/").json()
    assert term["maps_to"] == ["GBF-T5", "GBF-T10"]


def test_one_term_is_served_at_its_own_address(client: Client) -> None:
    response = client.get("/api/v1/vocabularies/support-types/training/", headers={"accept-language": "ar"})
    assert response.status_code == 200
    training = response.json()
    assert training["code"] == "training"
    assert training["label"] == training["labels"]["ar"]


def test_withdrawn_terms_are_left_out_unless_asked_for(client: Client) -> None:
    Term.objects.filter(vocabulary__name="target-groups", code="media").update(is_active=False)
    listed = client.get("/api/v1/vocabularies/target-groups/").json()
    assert "media" not in [term["code"] for term in listed["terms"]]
    assert listed["term_count"] == 9
    everything = client.get("/api/v1/vocabularies/target-groups/?include_inactive=1").json()
    media = next(term for term in everything["terms"] if term["code"] == "media")
    assert media["is_active"] is False
    # Records may still point at a withdrawn term: its own address keeps answering.
    assert client.get("/api/v1/vocabularies/target-groups/media/").json()["is_active"] is False


def test_an_unknown_vocabulary_is_a_404_with_a_message_in_the_request_language(client: Client) -> None:
    response = client.get("/api/v1/vocabularies/kyoto-targets/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {"field": None, "code": "not_found", "message": "There is no vocabulary named “kyoto-targets”."}
        ]
    }


def test_an_unknown_term_is_a_404_naming_the_code(client: Client) -> None:
    response = client.get("/api/v1/vocabularies/gbf-targets/GBF-T24/")
    assert response.status_code == 404
    assert "GBF-T24" in response.json()["errors"][0]["message"]
    assert client.get("/api/v1/vocabularies/nothing/GBF-T1/").status_code == 404


def test_include_inactive_must_be_a_boolean(client: Client) -> None:
    response = client.get("/api/v1/vocabularies/gbf-targets/?include_inactive=perhaps")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "include_inactive"


def test_reads_take_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries: Any) -> None:
    # List: a count and the vocabularies with their term counts.
    with django_assert_max_num_queries(2):
        client.get("/api/v1/vocabularies/")
    # Detail: the vocabulary, its terms with their parents, their mappings both ways.
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/vocabularies/subjects/").json()["terms"]) == 34
    with django_assert_max_num_queries(4):
        client.get("/api/v1/vocabularies/aichi-targets/AICHI-T1/")
