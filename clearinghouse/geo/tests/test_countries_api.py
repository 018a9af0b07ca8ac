"""/api/v1/countries/: public, paginated, filtered, named in the request's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.geo.models import Country
from clearinghouse.geo.services import load_countries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries() -> None:
    load_countries()


def listed(client: Client, query: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/countries/?page_size=100&{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    results: list[dict[str, Any]] = body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        results.extend(body["results"])
    return results


def test_a_country_has_its_codes_names_regions_groups_and_party_status(client: Client) -> None:
    response = client.get("/api/v1/countries/TZ/")
    assert response.status_code == 200
    tanzania = response.json()
    assert {key: tanzania[key] for key in ("code", "alpha3", "m49", "name", "regional_group")} == {
        "code": "TZ",
        "alpha3": "TZA",
        "m49": "834",
        "name": "Tanzania",
        "regional_group": "Africa",
    }
    assert tanzania["names"]["ar"] == "تنزانيا"
    assert tanzania["region"]["code"] == "002"
    assert tanzania["subregion"]["names"]["es"] == "África subsahariana"
    assert tanzania["intermediate_region"] == {
        "code": "014",
        "names": {
            "ar": "شرق أفريقيا",
            "zh": "东非",
            "en": "Eastern Africa",
            "fr": "Afrique orientale",
            "ru": "Восточная Африка",
            "es": "África oriental",
        },
        "name": "Eastern Africa",
    }
    assert tanzania["groups"] == ["LDC", "developing"]
    assert tanzania["party"] == {"cbd": True, "cartagena": True, "nagoya": False}


def test_names_follow_the_request_language(client: Client) -> None:
    for language, name, region in [
        ("ar", "كينيا", "أفريقيا"),
        ("zh-hans", "肯尼亚", "非洲"),
        ("ru", "Кения", "Африка"),
        ("es", "Kenia", "África"),
    ]:
        kenya = client.get("/api/v1/countries/KE/", headers={"accept-language": language}).json()
        assert (kenya["name"], kenya["region"]["name"]) == (name, region), language


def test_a_territory_outside_any_group_has_nulls_not_blanks(client: Client) -> None:
    antarctica = client.get("/api/v1/countries/AQ/").json()
    assert antarctica["region"] is None
    assert antarctica["regional_group"] is None
    assert antarctica["groups"] == []


def test_the_code_is_found_in_either_case(client: Client) -> None:
    assert client.get("/api/v1/countries/ke/").json()["code"] == "KE"


def test_an_unknown_code_is_a_404_in_the_error_shape_and_the_request_language(client: Client) -> None:
    response = client.get("/api/v1/countries/XK/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "code": "not_found",
                "message": "There is no country or territory with the code “XK”.",
            }
        ]
    }


def test_the_list_is_public_paginated_by_twenty_and_sorted_by_code(client: Client) -> None:
    body = client.get("/api/v1/countries/").json()
    assert body["count"] == 249
    assert len(body["results"]) == 20
    assert [country["code"] for country in body["results"][:3]] == ["AD", "AE", "AF"]


def test_parties_to_each_instrument_are_listed(client: Client) -> None:
    for instrument, field in [
        ("cbd", "cbd_party"),
        ("cartagena", "cartagena_party"),
        ("nagoya", "nagoya_party"),
    ]:
        parties = listed(client, f"party={instrument}")
        assert len(parties) == Country.objects.filter(**{field: True}).count(), instrument
        assert all(country["party"][instrument] for country in parties)
    # The United States is not a Party to the Convention.
    assert "US" not in {country["code"] for country in listed(client, "party=cbd")}


@pytest.mark.parametrize(
    ("group", "member", "outsider"),
    [
        ("LDC", "TZ", "KE"),
        ("SIDS", "FJ", "AU"),
        ("Arab States", "EG", "IR"),
        ("developing", "KE", "FR"),
        ("EIT", "UA", "PL"),
    ],
)
def test_countries_are_filtered_by_group(client: Client, group: str, member: str, outsider: str) -> None:
    codes = {country["code"] for country in listed(client, f"group={group}")}
    assert member in codes
    assert outsider not in codes


def test_countries_are_filtered_by_regional_group_and_combined_filters(client: Client) -> None:
    africa = listed(client, "regional_group=Africa")
    assert len(africa) == 54
    african_ldcs = {
        country["code"] for country in listed(client, "regional_group=Africa&group=LDC&party=cbd")
    }
    assert "TZ" in african_ldcs
    assert "KE" not in african_ldcs
    assert "BD" not in african_ldcs


def test_the_region_filter_takes_an_m49_area_of_any_level(client: Client) -> None:
    africa = {country["code"] for country in listed(client, "region=002")}
    sub_saharan = {country["code"] for country in listed(client, "region=202")}
    eastern = {country["code"] for country in listed(client, "region=014")}
    assert {"KE", "TZ"} <= eastern < sub_saharan < africa
    assert "EG" in africa - sub_saharan


def test_an_empty_filter_value_means_any_as_forms_send_it(client: Client) -> None:
    body = client.get("/api/v1/countries/?party=&group=&regional_group=&region=").json()
    assert body["count"] == 249


def test_an_unknown_filter_value_is_a_400_naming_the_parameter(client: Client) -> None:
    response = client.get("/api/v1/countries/?party=kyoto")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "party"


def test_the_list_takes_the_same_few_queries_for_a_hundred_countries_as_for_one(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    # One count and one select with the regions joined, however many rows and filters.
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/countries/?page_size=100").json()["results"]) == 100
    with django_assert_max_num_queries(2):
        client.get("/api/v1/countries/?page_size=1&region=002&group=LDC&party=nagoya")
