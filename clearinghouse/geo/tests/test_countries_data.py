"""Checks on the committed reference data in geo/data/countries.json (no Django needed)."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pycountry
import pytest
from babel import Locale

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
GROUPS = {
    "Africa",
    "Asia-Pacific",
    "Eastern Europe",
    "Latin America and Caribbean",
    "Western Europe and Others",
}
FLAGS = (
    "cbd_party",
    "cartagena_party",
    "nagoya_party",
    "arab_league",
    "developing",
    "ldc",
    "sids",
    "economy_in_transition",
)


@cache
def data() -> dict[str, Any]:
    return json.loads((DATA / "countries.json").read_text(encoding="utf-8"))


@cache
def by_code() -> dict[str, dict[str, Any]]:
    return {country["code"]: country for country in data()["countries"]}


def having(flag: str) -> set[str]:
    return {code for code, country in by_code().items() if country[flag]}


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_countries", DATA / "build_countries.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_file_shape() -> None:
    assert set(data()) == {"source", "date", "notes", "m49_areas", "countries", "organisations_party"}
    assert re.fullmatch(r"2026-11-\d\d", data()["date"])
    assert data()["source"]
    assert data()["notes"]


def test_committed_file_is_the_builder_output() -> None:
    builder = load_builder()
    assert (DATA / "countries.json").read_text(encoding="utf-8") == builder.render(builder.build())


def test_covers_exactly_the_iso_entries_pycountry_knows() -> None:
    codes = [country["code"] for country in data()["countries"]]
    assert len(codes) == len(set(codes))
    assert set(codes) == {country.alpha_2 for country in pycountry.countries}


def test_entries_have_the_expected_fields_and_types() -> None:
    keys = {"code", "m49", "region", "subregion", "intermediate_region", "un_regional_group", *FLAGS}
    for country in data()["countries"]:
        assert set(country) == keys, country["code"]
        for flag in FLAGS:
            assert isinstance(country[flag], bool), (country["code"], flag)
        assert country["un_regional_group"] is None or country["un_regional_group"] in GROUPS


def test_m49_code_is_the_iso_numeric_code() -> None:
    for country in data()["countries"]:
        assert country["m49"] == pycountry.countries.get(alpha_2=country["code"]).numeric


def test_regions_follow_the_m49_hierarchy() -> None:
    areas = {area["code"]: area for area in data()["m49_areas"]}
    for country in data()["countries"]:
        chain = [country["region"], country["subregion"], country["intermediate_region"]]
        present = [area for area in chain if area is not None]
        assert chain[: len(present)] == present, country["code"]
        parent = None
        for level, area in zip(("region", "subregion", "intermediate"), present, strict=False):
            assert areas[area]["level"] == level, (country["code"], area)
            assert areas[area]["parent"] == parent, (country["code"], area)
            parent = area
        # Only the smallest areas hold countries.
        if present:
            assert not any(other["parent"] == present[-1] for other in areas.values()), country["code"]


def test_only_antarctica_and_taiwan_have_no_region() -> None:
    assert {code for code, country in by_code().items() if country["region"] is None} == {"AQ", "TW"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_babel_names_every_country_and_area(language: str) -> None:
    territories = Locale.parse(language).territories
    for code in [*by_code(), *(area["code"] for area in data()["m49_areas"])]:
        assert territories.get(code, "").strip(), (language, code)


def test_party_counts() -> None:
    # Counts of States; the European Union is the extra Party to each instrument.
    assert len(having("cbd_party")) == 195
    assert len(having("cartagena_party")) == 172
    assert len(having("nagoya_party")) == 136
    assert data()["organisations_party"] == [
        {"code": "EU", "cbd_party": True, "cartagena_party": True, "nagoya_party": True}
    ]
    assert "EU" not in by_code()


def test_cbd_parties_are_the_un_members_but_the_us_plus_three_states() -> None:
    assert {"CK", "NU", "PS"} <= having("cbd_party")
    assert not {"US", "VA", "TW", "XK"} & having("cbd_party")
    # Every other Party is a UN Member State, and all of those sit in a regional group.
    members = {code for code, country in by_code().items() if country["un_regional_group"]}
    assert having("cbd_party") == members - {"US"}


def test_protocol_parties_are_cbd_parties() -> None:
    assert having("cartagena_party") <= having("cbd_party")
    assert having("nagoya_party") <= having("cbd_party")


def test_notable_protocol_non_parties() -> None:
    cartagena = having("cartagena_party")
    for code in ("US", "CA", "AR", "AU", "RU", "CL", "IL", "SG", "IS", "CK"):
        assert code not in cartagena, code
    for code in ("NU", "PS", "UZ", "KW", "AE", "CI", "BH", "UY"):
        assert code in cartagena, code
    nagoya = having("nagoya_party")
    for code in ("US", "CA", "AU", "RU", "NZ", "CL", "CO", "IL", "TR", "SG"):
        assert code not in nagoya, code
    for code in ("BR", "AR", "CN", "IN", "JP", "MX", "ZA", "KW", "UA", "AD"):
        assert code in nagoya, code


def test_regional_group_sizes() -> None:
    sizes = Counter(country["un_regional_group"] for country in data()["countries"])
    assert sizes == {
        "Africa": 54,
        "Asia-Pacific": 57,  # 54 UN Member States, the State of Palestine, Cook Islands, Niue
        "Eastern Europe": 23,
        "Latin America and Caribbean": 33,
        "Western Europe and Others": 29,  # 28 members and the United States
        None: 53,
    }


def test_every_cbd_party_has_a_regional_group() -> None:
    assert all(by_code()[code]["un_regional_group"] for code in having("cbd_party"))


def test_group_counts() -> None:
    assert len(having("ldc")) == 44
    assert len(having("arab_league")) == 22
    assert len(having("sids")) == 57
    assert len(having("economy_in_transition")) == 17
    assert len(having("developing")) == 139
    un_members = {code for code in having("cbd_party") if code not in {"CK", "NU", "PS"}} | {"US"}
    assert len(un_members) == 193
    assert len(having("sids") & un_members) == 37


def test_group_consistency() -> None:
    assert having("ldc") <= having("developing")
    assert not having("economy_in_transition") & having("developing")
    assert having("arab_league") <= having("cbd_party")
    # Only the territories on the SIDS list (UN regional commission associate members) are not
    # classified as developing.
    assert having("sids") - having("developing") == {
        "AI", "AS", "AW", "BM", "CW", "GP", "GU", "KY", "MP", "MQ", "MS", "NC", "PF", "PR", "SX", "TC",
        "VG", "VI",
    }  # fmt: skip


def test_lists_after_recent_changes() -> None:
    ldc = having("ldc")
    assert not {"BT", "ST", "VU", "WS", "MV", "CV", "GQ", "BW"} & ldc  # graduated
    assert {"SB", "AO", "BD", "LA", "NP", "KI", "TV"} <= ldc  # still listed at 13 Dec 2024
    assert "BH" not in having("sids")  # no longer on the UN-OHRLLS list
    assert "SY" in having("arab_league")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "KE",
            {
                "m49": "404",
                "region": "002",
                "subregion": "202",
                "intermediate_region": "014",
                "un_regional_group": "Africa",
                "cbd_party": True,
                "cartagena_party": True,
                "nagoya_party": True,
                "arab_league": False,
                "developing": True,
                "ldc": False,
                "sids": False,
                "economy_in_transition": False,
            },
        ),
        ("EG", {"region": "002", "subregion": "015", "intermediate_region": None, "arab_league": True}),
        ("FJ", {"region": "009", "subregion": "054", "sids": True, "un_regional_group": "Asia-Pacific"}),
        ("US", {"cbd_party": False, "un_regional_group": "Western Europe and Others", "developing": False}),
        ("RU", {"economy_in_transition": True, "developing": False, "un_regional_group": "Eastern Europe"}),
        ("SO", {"ldc": True, "arab_league": True, "un_regional_group": "Africa"}),
        ("PS", {"cbd_party": True, "un_regional_group": "Asia-Pacific", "arab_league": True}),
        ("TR", {"un_regional_group": "Western Europe and Others", "region": "142"}),
        ("IL", {"un_regional_group": "Western Europe and Others", "developing": True}),
        ("KI", {"un_regional_group": "Asia-Pacific", "ldc": True, "sids": True}),
        ("CY", {"un_regional_group": "Asia-Pacific", "developing": False}),
        ("VA", {"un_regional_group": None, "cbd_party": False, "developing": False}),
        ("MX", {"subregion": "419", "intermediate_region": "013"}),
        ("GL", {"un_regional_group": None, "cbd_party": False, "developing": False}),
    ],
)
def test_spot_checks(code: str, expected: dict[str, Any]) -> None:
    country = by_code()[code]
    assert {key: country[key] for key in expected} == expected
