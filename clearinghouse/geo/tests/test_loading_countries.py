"""`load_countries`: the country file into the database, names from CLDR, idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clearinghouse.geo.models import Country, Region
from clearinghouse.geo.services import COUNTRIES_FILE, CountryDataError, load_countries

pytestmark = pytest.mark.django_db


def country_file(tmp_path: Path, change: Any) -> Path:
    """A copy of the real country file, changed by `change(data)`."""
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "countries.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def entry(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(country for country in data["countries"] if country["code"] == code)


def test_kenya_is_named_in_the_six_languages_from_cldr() -> None:
    load_countries()
    assert Country.objects.get(code="KE").names == {
        "ar": "كينيا",
        "zh": "肯尼亚",
        "en": "Kenya",
        "fr": "Kenya",
        "ru": "Кения",
        "es": "Kenia",
    }


def test_every_country_and_region_has_a_name_in_each_language() -> None:
    load_countries()
    for names in [
        *Country.objects.values_list("names", flat=True),
        *Region.objects.values_list("names", flat=True),
    ]:
        assert sorted(names) == ["ar", "en", "es", "fr", "ru", "zh"]
        assert all(name.strip() for name in names.values())


def test_codes_come_from_pycountry_and_regions_sit_at_their_m49_level() -> None:
    load_countries()
    kenya = Country.objects.select_related("region", "subregion", "intermediate_region").get(code="KE")
    assert (kenya.alpha3, kenya.m49) == ("KEN", "404")
    assert kenya.region is not None
    assert kenya.subregion is not None
    assert kenya.intermediate_region is not None
    # 002 Africa > 202 Sub-Saharan Africa > 014 Eastern Africa, as the README explains.
    assert (kenya.region.code, kenya.subregion.code, kenya.intermediate_region.code) == ("002", "202", "014")
    assert kenya.intermediate_region.parent == kenya.subregion
    assert kenya.subregion.parent == kenya.region
    assert kenya.intermediate_region.names["fr"] == "Afrique orientale"


def test_flags_and_the_regional_group_come_from_the_file() -> None:
    load_countries()
    tanzania = Country.objects.get(code="TZ")
    assert tanzania.groups == ["LDC", "developing"]
    assert tanzania.regional_group == "Africa"
    assert (tanzania.cbd_party, tanzania.cartagena_party, tanzania.nagoya_party) == (True, True, False)
    # Territories belong to no regional group: stored as blank, not as a made-up group.
    assert Country.objects.get(code="GL").regional_group == ""


def test_the_european_union_is_a_party_but_not_loaded_as_a_country() -> None:
    result = load_countries()
    assert result.countries == Country.objects.count() == 249
    assert not Country.objects.filter(code="EU").exists()


def test_loading_twice_leaves_the_same_rows() -> None:
    first = load_countries()
    rows = list(Country.objects.values().order_by("code"))
    regions = list(Region.objects.values().order_by("code"))
    second = load_countries()
    assert (first.countries_changed, first.regions_changed) == (249, 29)
    assert (second.countries_changed, second.regions_changed) == (0, 0)
    assert list(Country.objects.values().order_by("code")) == rows
    assert list(Region.objects.values().order_by("code")) == regions


def test_a_change_in_the_file_updates_the_existing_row(tmp_path: Path) -> None:
    load_countries()
    kenya_id = Country.objects.get(code="KE").pk

    def kenya_graduates_backwards(data: dict[str, Any]) -> None:
        entry(data, "KE")["ldc"] = True

    result = load_countries(country_file(tmp_path, kenya_graduates_backwards))
    kenya = Country.objects.get(code="KE")
    assert (kenya.pk, kenya.ldc) == (kenya_id, True)
    assert result.countries_changed == 1
    assert Country.objects.count() == 249


def test_a_country_already_stored_under_its_code_is_completed_not_duplicated() -> None:
    # The shared test world and early fixtures create countries by hand.
    Country.objects.create(code="KE", alpha3="KEN", names={"en": "Kenya"})
    load_countries()
    assert Country.objects.filter(code="KE").count() == 1
    assert Country.objects.get(code="KE").names["zh"] == "肯尼亚"


def test_an_unknown_iso_code_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    load_countries()

    def add_unknown_and_change_kenya(data: dict[str, Any]) -> None:
        entry(data, "KE")["ldc"] = True
        data["countries"].append({**entry(data, "KE"), "code": "XX"})

    with pytest.raises(CountryDataError, match="unknown ISO 3166-1 code 'XX'"):
        load_countries(country_file(tmp_path, add_unknown_and_change_kenya))
    assert not Country.objects.get(code="KE").ldc
    assert not Country.objects.filter(code="XX").exists()


def test_an_unknown_region_code_is_refused(tmp_path: Path) -> None:
    def misplace_kenya(data: dict[str, Any]) -> None:
        entry(data, "KE")["intermediate_region"] = "999"

    with pytest.raises(CountryDataError, match="KE has an unknown M49 intermediate_region '999'"):
        load_countries(country_file(tmp_path, misplace_kenya))
    assert not Country.objects.exists()
    assert not Region.objects.exists()


def test_a_region_at_the_wrong_level_is_refused(tmp_path: Path) -> None:
    def put_a_subregion_as_region(data: dict[str, Any]) -> None:
        entry(data, "KE")["region"] = "202"

    with pytest.raises(CountryDataError, match="M49 area 202 is not a region"):
        load_countries(country_file(tmp_path, put_a_subregion_as_region))


def test_an_unknown_regional_group_is_refused(tmp_path: Path) -> None:
    def invent_a_group(data: dict[str, Any]) -> None:
        entry(data, "KE")["un_regional_group"] = "East Africa"

    with pytest.raises(CountryDataError, match="unknown UN regional group 'East Africa'"):
        load_countries(country_file(tmp_path, invent_a_group))


def test_a_broken_file_is_refused_with_its_line_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "countries.json"
    path.write_text('{\n  "m49_areas": [],\n  "countries": [,]\n}', encoding="utf-8")
    with pytest.raises(CountryDataError, match=r"countries.json: not valid JSON \(line 3"):
        load_countries(path)
    assert not Country.objects.exists()


def test_a_missing_file_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CountryDataError, match=r"nowhere\.json: cannot be read"):
        load_countries(tmp_path / "nowhere.json")
