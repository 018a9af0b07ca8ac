"""Eligibility of a country under an offer's list, from the country reference data.

The rules are the Country model's (``Country.is_eligible_under``); this module keeps the countries
in a small in-memory map, loaded once, so that matching does not query the database per offer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from django.db import DatabaseError

from clearinghouse.geo.models import Country, CountryGroup, RegionalGroup
from clearinghouse.geo.services import COUNTRIES_FILE, FLAGS, read_country_file
from clearinghouse.matching.profiles import EligibilityReason

GLOBAL = "global"


class UnknownCountryError(LookupError):
    """A country code that the reference data does not have."""


class CountryDirectory:
    """The countries by ISO code, with the eligibility labels each one answers to."""

    def __init__(self, countries: Iterable[Country]) -> None:
        self._countries: dict[str, Country] = {country.code: country for country in countries}
        self._admitted: dict[str, frozenset[str]] = {
            code: frozenset({code, country.regional_group, *country.groups, GLOBAL} - {""})
            for code, country in self._countries.items()
        }
        self.labels: frozenset[str] = frozenset(
            {*self._countries, *RegionalGroup.values, *CountryGroup.values, GLOBAL}
        )

    @classmethod
    def from_database(cls) -> CountryDirectory:
        """The Country table as it is (empty when the reference data was never loaded)."""
        return cls(Country.objects.all())

    @classmethod
    def from_file(cls, path: Path = COUNTRIES_FILE) -> CountryDirectory:
        """The country file the Country table is loaded from, read without a database: unsaved
        Country instances, so the model's own eligibility rules apply."""
        data = read_country_file(path)
        return cls(_country(entry) for entry in data["countries"])

    def __contains__(self, code: object) -> bool:
        return code in self._countries

    def __len__(self) -> int:
        return len(self._countries)

    def country(self, code: str) -> Country:
        try:
            return self._countries[code]
        except KeyError:
            raise UnknownCountryError(f"unknown country code {code!r}") from None

    def admitted_labels(self, code: str) -> frozenset[str]:
        """Every eligibility label that admits this country: its code, its regional group, its
        groups and "global". No country (a need of an international organisation) answers to
        "global" only: offers open to all or marked global."""
        if not code:
            return frozenset({GLOBAL})
        self.country(code)
        return self._admitted[code]

    def admitted_by(self, labels: Iterable[str]) -> frozenset[str]:
        """The reverse of ``admitted_labels``: the codes of the countries an eligibility list
        admits, with "global" when it is open to all (which admits needs with no country)."""
        wanted = set(labels)
        if not wanted or GLOBAL in wanted:
            return frozenset({*self._countries, GLOBAL})
        return frozenset(code for code, admitted in self._admitted.items() if admitted & wanted)

    def is_eligible(self, code: str, labels: Iterable[str]) -> bool:
        return self.country(code).is_eligible_under(list(labels))

    def reason(self, code: str, labels: Iterable[str]) -> EligibilityReason | None:
        """The entry of the list that admits the country, most specific first; None if none does."""
        labels = list(labels)
        if not code:
            if not labels:
                return EligibilityReason(rule="open", label="", country="")
            return EligibilityReason(rule="global", label=GLOBAL, country="") if GLOBAL in labels else None
        if not self.is_eligible(code, labels):
            return None
        if not labels:
            return EligibilityReason(rule="open", label="", country=code)
        country = self.country(code)
        if code in labels:
            return EligibilityReason(rule="country", label=code, country=code)
        for group in country.groups:
            if group in labels:
                return EligibilityReason(rule="country group", label=group, country=code)
        if country.regional_group and country.regional_group in labels:
            return EligibilityReason(rule="regional group", label=country.regional_group, country=code)
        return EligibilityReason(rule="global", label=GLOBAL, country=code)


def _country(entry: Mapping[str, object]) -> Country:
    flags = {flag: bool(entry[flag]) for flag in FLAGS}
    return Country(code=str(entry["code"]), regional_group=str(entry.get("un_regional_group") or ""), **flags)


@cache
def default_directory() -> CountryDirectory:
    """The Country table, loaded once per process; the reference file when the table is empty
    (a fresh database before ``loadreference``), since both hold the same data."""
    try:
        directory = CountryDirectory.from_database()
    except DatabaseError:  # no database or not migrated yet: the same data, from its file
        return CountryDirectory.from_file()
    return directory if len(directory) else CountryDirectory.from_file()
