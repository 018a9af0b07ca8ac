"""Loading and querying the country reference data.

``load_countries`` reads ``geo/data/countries.json`` (see its README), names every M49 area and
country in the six languages from Babel (CLDR), takes alpha-3 and M49 codes from pycountry, and
updates the database to match: rows are created or changed, never deleted (other records point
at countries). The whole file is checked before anything is written, so a bad file changes
nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.geo.models import Country, CountryGroup, Region, RegionalGroup

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = DATA_DIR / "countries.json"

# Babel locale for each content language (CLDR names Simplified Chinese zh_Hans).
BABEL_LOCALES = {"ar": "ar", "zh": "zh_Hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}

# The flag field behind each Party status and each country group, for filters and the API.
PARTY_FIELDS = {"cbd": "cbd_party", "cartagena": "cartagena_party", "nagoya": "nagoya_party"}
PARTY_CHOICES = [
    ("cbd", _("Convention on Biological Diversity")),
    ("cartagena", _("Cartagena Protocol on Biosafety")),
    ("nagoya", _("Nagoya Protocol on Access and Benefit-sharing")),
]
GROUP_FIELDS = {
    CountryGroup.LDC: "ldc",
    CountryGroup.SIDS: "sids",
    CountryGroup.ARAB_STATES: "arab_league",
    CountryGroup.DEVELOPING: "developing",
    CountryGroup.EIT: "economy_in_transition",
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
_LEVEL_FIELDS = {
    Region.Level.REGION: "region",
    Region.Level.SUBREGION: "subregion",
    Region.Level.INTERMEDIATE: "intermediate_region",
}
_COUNTRY_FIELDS = (
    "alpha3",
    "m49",
    "names",
    "region",
    "subregion",
    "intermediate_region",
    "regional_group",
    *FLAGS,
)


class CountryDataError(ValueError):
    """The country file cannot be loaded as it is; the message says where and why."""


@dataclass(frozen=True)
class CountryLoadResult:
    countries: int
    regions: int
    countries_changed: int
    regions_changed: int


def parties_to(queryset: QuerySet[Country], instrument: str) -> QuerySet[Country]:
    """Countries that are Parties to an instrument: ``cbd``, ``cartagena`` or ``nagoya``."""
    return queryset.filter(**{PARTY_FIELDS[instrument]: True})


def in_group(queryset: QuerySet[Country], group: str) -> QuerySet[Country]:
    """Countries in a CountryGroup (LDC, SIDS, Arab States, developing, EIT)."""
    return queryset.filter(**{GROUP_FIELDS[CountryGroup(group)]: True})


def in_region(queryset: QuerySet[Country], m49: str) -> QuerySet[Country]:
    """Countries in an M49 area of any level (region, subregion or intermediate region)."""
    return queryset.filter(Q(region__code=m49) | Q(subregion__code=m49) | Q(intermediate_region__code=m49))


@cache
def _locales() -> dict[str, Locale]:
    return {language: Locale.parse(name) for language, name in BABEL_LOCALES.items()}


def territory_names(code: str) -> dict[str, str]:
    """A territory's name (ISO 3166-1 alpha-2 or M49 code) in the six languages, from CLDR."""
    names = {language: locale.territories.get(code, "") for language, locale in _locales().items()}
    missing = [language for language, name in names.items() if not name]
    if missing:
        raise CountryDataError(f"Babel has no name for territory {code!r} in: {', '.join(missing)}")
    return names


def read_country_file(path: Path) -> dict[str, Any]:
    """The parsed file, or a CountryDataError naming the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CountryDataError(f"{path}: cannot be read ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise CountryDataError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from error
    if not isinstance(data, dict):
        raise CountryDataError(f"{path}: expected an object with 'm49_areas' and 'countries'")
    for key in ("m49_areas", "countries"):
        if not isinstance(data.get(key), list):
            raise CountryDataError(f"{path}: '{key}' must be a list")
    return data


def _check_areas(path: Path, areas: list[Any]) -> dict[str, dict[str, Any]]:
    by_code: dict[str, dict[str, Any]] = {}
    levels = set(Region.Level.values)
    for area in areas:
        code = area.get("code") if isinstance(area, dict) else None
        if not isinstance(code, str) or not code:
            raise CountryDataError(f"{path}: an M49 area has no code: {area!r}")
        if code in by_code:
            raise CountryDataError(f"{path}: M49 area {code} is listed twice")
        if area.get("level") not in levels:
            raise CountryDataError(f"{path}: M49 area {code} has an unknown level {area.get('level')!r}")
        by_code[code] = area
    for code, area in by_code.items():
        parent = area.get("parent")
        if parent is not None and parent not in by_code:
            raise CountryDataError(f"{path}: M49 area {code} has an unknown parent {parent!r}")
        if (parent is None) != (area["level"] == Region.Level.REGION):
            raise CountryDataError(f"{path}: only M49 regions have no parent (area {code})")
    return by_code


def _check_country(path: Path, entry: Any, areas: Mapping[str, Mapping[str, Any]]) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    if not isinstance(code, str) or pycountry.countries.get(alpha_2=code) is None:
        raise CountryDataError(f"{path}: unknown ISO 3166-1 code {code!r}")
    for level, field in _LEVEL_FIELDS.items():
        area = entry.get(field)
        if area is None:
            continue
        if area not in areas:
            raise CountryDataError(f"{path}: {code} has an unknown M49 {field} {area!r}")
        if areas[area]["level"] != level:
            raise CountryDataError(f"{path}: {code}: M49 area {area} is not a {level}")
    group = entry.get("un_regional_group")
    if group is not None and group not in RegionalGroup.values:
        raise CountryDataError(f"{path}: {code} has an unknown UN regional group {group!r}")
    for flag in FLAGS:
        if not isinstance(entry.get(flag), bool):
            raise CountryDataError(f"{path}: {code}: '{flag}' must be true or false")
    return code


def _levels_first(areas: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    order = list(Region.Level.values)
    return sorted(areas.values(), key=lambda area: (order.index(area["level"]), area["code"]))


def _changed(instance: Any, values: Mapping[str, Any]) -> bool:
    """Set the values on the instance; whether any of them differed."""
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


def _load_regions(areas: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Region], int]:
    regions = {region.code: region for region in Region.objects.all()}
    changed = 0
    # Parents before children, so a child can point at its parent's id.
    for area in _levels_first(areas):
        parent = regions[area["parent"]] if area["parent"] else None
        values = {
            "level": area["level"],
            "parent_id": parent.pk if parent else None,
            "names": territory_names(area["code"]),
        }
        region = regions.get(area["code"])
        if region is None:
            regions[area["code"]] = Region.objects.create(code=area["code"], **values)
            changed += 1
        elif _changed(region, values):
            region.save(update_fields=[field.removesuffix("_id") for field in values])
            changed += 1
    return regions, changed


def _country_values(entry: Mapping[str, Any], regions: Mapping[str, Region]) -> dict[str, Any]:
    iso: Any = pycountry.countries.get(alpha_2=entry["code"])
    values: dict[str, Any] = {
        "alpha3": iso.alpha_3,
        "m49": iso.numeric,
        "names": territory_names(entry["code"]),
        "regional_group": entry.get("un_regional_group") or "",
    }
    for field in _LEVEL_FIELDS.values():
        area = entry.get(field)
        values[f"{field}_id"] = regions[area].pk if area else None
    values.update({flag: entry[flag] for flag in FLAGS})
    return values


@transaction.atomic
def load_countries(path: Path = COUNTRIES_FILE) -> CountryLoadResult:
    """Create or update the M49 areas and the countries of a country file (idempotent).

    Raises CountryDataError, having changed nothing, when the file is unreadable or names an
    unknown ISO code, M49 area or regional group.
    """
    data = read_country_file(path)
    areas = _check_areas(path, data["m49_areas"])
    entries = data["countries"]
    codes = [_check_country(path, entry, areas) for entry in entries]
    duplicates = sorted(code for code, times in Counter(codes).items() if times > 1)
    if duplicates:
        raise CountryDataError(f"{path}: countries listed twice: {', '.join(duplicates)}")
    # Names are looked up before writing so that a gap in Babel also changes nothing.
    for code in [*areas, *codes]:
        territory_names(code)

    regions, regions_changed = _load_regions(areas)
    existing = {country.code: country for country in Country.objects.all()}
    created: list[Country] = []
    updated: list[Country] = []
    for entry in entries:
        values = _country_values(entry, regions)
        country = existing.get(entry["code"])
        if country is None:
            created.append(Country(code=entry["code"], **values))
        elif _changed(country, values):
            updated.append(country)
    Country.objects.bulk_create(created)
    Country.objects.bulk_update(updated, _COUNTRY_FIELDS)
    return CountryLoadResult(
        countries=len(entries),
        regions=len(areas),
        countries_changed=len(created) + len(updated),
        regions_changed=regions_changed,
    )
