"""Hard eligibility: an offer is suggested only to countries its list admits, by the country data."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest

from clearinghouse.geo.services import load_countries
from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.engine import Matcher

from .conftest import need, offer


@pytest.mark.parametrize(
    ("country", "labels", "eligible"),
    [
        ("NP", ["LDC"], True),  # Nepal is a least developed country
        ("KE", ["LDC"], False),
        ("FJ", ["SIDS"], True),
        ("KE", ["SIDS"], False),
        ("KM", ["SIDS", "LDC"], True),  # Comoros is both
        ("JO", ["Arab States"], True),
        ("IR", ["Arab States"], False),
        ("PE", ["Latin America and Caribbean"], True),
        ("KZ", ["Asia-Pacific"], True),  # Kazakhstan sits in the Asia-Pacific group
        ("KZ", ["Eastern Europe"], False),
        ("FR", ["Western Europe and Others"], True),
        ("EG", ["Africa"], True),
        ("EG", ["global"], True),
        ("EG", [], True),  # an empty list is open to all
        ("EG", ["EG", "TN"], True),
        ("MA", ["EG", "TN"], False),
    ],
)
def test_eligibility_follows_the_country_groups(
    countries: CountryDirectory, country: str, labels: list[str], eligible: bool
) -> None:
    assert countries.is_eligible(country, labels) is eligible


def test_the_reason_names_the_most_specific_entry_that_admits_the_country(
    countries: CountryDirectory,
) -> None:
    assert countries.reason("NP", ["Asia-Pacific", "LDC"]).label == "LDC"  # type: ignore[union-attr]
    assert countries.reason("NP", ["NP", "LDC"]).rule == "country"  # type: ignore[union-attr]
    assert countries.reason("NP", ["Asia-Pacific"]).rule == "regional group"  # type: ignore[union-attr]
    assert countries.reason("NP", []).rule == "open"  # type: ignore[union-attr]
    assert countries.reason("NP", ["SIDS"]) is None


def test_ineligible_offers_are_never_suggested(build: Callable[..., Matcher]) -> None:
    matcher = build(
        [
            offer("for-sids", countries_eligible=("SIDS",)),
            offer("for-africa", countries_eligible=("Africa",)),
            offer("for-all"),
        ]
    )
    assert {s.offer_id for s in matcher.match(need(country="FJ"))} == {"for-sids", "for-all"}
    assert {s.offer_id for s in matcher.match(need(country="KE"))} == {"for-africa", "for-all"}


def test_filtering_by_posting_lists_agrees_with_the_country_model(
    build: Callable[..., Matcher], countries: CountryDirectory
) -> None:
    # Random eligibility lists over real codes and groups: the vectorised filter must admit
    # exactly what Country.is_eligible_under admits.
    rng = random.Random(7)
    labels = sorted(countries.labels)
    offers = [
        offer(f"O{n}", countries_eligible=tuple(rng.sample(labels, rng.randint(0, 3)))) for n in range(300)
    ]
    matcher = build(offers)
    for code in ["NP", "FJ", "EG", "PE", "KZ", "FR", "CN", "KM", "US"]:
        mask = matcher.eligible_rows(code)
        expected = np.array([countries.is_eligible(code, o.countries_eligible) for o in offers])
        assert (mask == expected).all(), code


@pytest.mark.django_db
def test_the_country_table_and_its_source_file_give_the_same_answers() -> None:
    load_countries()
    from_table, from_file = CountryDirectory.from_database(), CountryDirectory.from_file()
    assert len(from_table) == len(from_file) > 200
    for code in ["NP", "FJ", "EG", "JO", "KZ", "HT"]:
        assert from_table.admitted_labels(code) == from_file.admitted_labels(code)
