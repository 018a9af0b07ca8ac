"""Checks on the six-language glossary that expands queries (search/data/glossary.json)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from clearinghouse.search.text import LATIN_QUERY_LANGUAGES, index_terms, normalise, strip_accents

GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary.json"
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
MAX_TERMS = 4
MAX_TERM_LENGTH = 60
SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@cache
def concepts() -> list[dict[str, Any]]:
    data = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def folded(term: str) -> str:
    """A term as the search compares it: case, accents, Arabic letter forms and spacing folded."""
    return " ".join(strip_accents(normalise(term)).split())


def test_the_glossary_is_a_list_of_concepts_with_an_id_and_labels() -> None:
    for concept in concepts():
        assert isinstance(concept, dict)
        assert set(concept) == {"id", "labels"}, concept


def test_it_covers_at_least_350_concepts() -> None:
    assert len(concepts()) >= 350


def test_ids_are_unique_slugs() -> None:
    ids = [concept["id"] for concept in concepts()]
    assert len(ids) == len(set(ids)), [id_ for id_ in ids if ids.count(id_) > 1]
    for id_ in ids:
        assert SLUG.fullmatch(id_), id_


def test_every_concept_has_one_to_four_clean_terms_in_each_of_the_six_languages() -> None:
    for concept in concepts():
        labels = concept["labels"]
        assert set(labels) == set(LANGUAGES), concept["id"]
        for language, terms in labels.items():
            assert isinstance(terms, list), (concept["id"], language)
            assert 1 <= len(terms) <= MAX_TERMS, (concept["id"], language)
            for term in terms:
                assert isinstance(term, str), (concept["id"], language)
                assert term.strip() == term != "", (concept["id"], language, term)
                assert "  " not in term, (concept["id"], language, term)
                assert unicodedata.normalize("NFC", term) == term, (concept["id"], language, term)


def test_no_term_is_longer_than_60_characters() -> None:
    for concept in concepts():
        for language, terms in concept["labels"].items():
            for term in terms:
                assert len(term) <= MAX_TERM_LENGTH, (concept["id"], language, term)


def test_the_usual_term_of_arabic_russian_and_chinese_is_written_in_that_script() -> None:
    # An English word left first in these languages is a missed translation; short forms such as
    # "BBNJ" may follow it.
    for concept in concepts():
        for language, script in SCRIPTS.items():
            first = concept["labels"][language][0]
            assert script.search(first), (concept["id"], language, first)


def test_no_term_is_repeated_within_a_concept() -> None:
    for concept in concepts():
        for language, terms in concept["labels"].items():
            forms = [folded(term) for term in terms]
            assert len(forms) == len(set(forms)), (concept["id"], language, terms)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_term_belongs_to_two_concepts_of_one_language(language: str) -> None:
    # A query term that expands into two concepts would be ambiguous. Compared as the search
    # compares words, so that "Zones humides" and "zones humides", or أراضي and اراضي, meet.
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for concept in concepts():
        for term in concept["labels"][language]:
            owners[term.casefold()].add(concept["id"])
            owners[folded(term)].add(concept["id"])
    shared = {term: ids for term, ids in owners.items() if len(ids) > 1}
    assert not shared


def test_no_term_names_two_concepts_across_english_french_and_spanish() -> None:
    # A query's Latin-script words are of unknown language (text.parse_query tries all three),
    # so "miombo" in French and in English must mean the same concept.
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for concept in concepts():
        for language in LATIN_QUERY_LANGUAGES:
            for term in concept["labels"][language]:
                owners[folded(term)].add(concept["id"])
    shared = {term: ids for term, ids in owners.items() if len(ids) > 1}
    assert not shared


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_concepts_share_a_term_once_stemmed(language: str) -> None:
    # The index stems words and leaves out function words, so "Asie de l'Est" is searched as
    # "Asie" and "boisement" as "bois": a term must stay apart from other concepts' terms in
    # the form the search compares.
    owners: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    for concept in concepts():
        for term in concept["labels"][language]:
            owners[tuple(index_terms(term, language))].add(concept["id"])
    shared = {terms: ids for terms, ids in owners.items() if len(ids) > 1}
    assert not shared


def test_the_official_terms_come_first() -> None:
    labels = {concept["id"]: concept["labels"] for concept in concepts()}
    assert {language: terms[0] for language, terms in labels["invasive-alien-species"].items()} == {
        "ar": "الأنواع الغريبة الغازية",
        "en": "invasive alien species",
        "es": "especies exóticas invasoras",
        "fr": "espèces exotiques envahissantes",
        "ru": "инвазивные чужеродные виды",
        "zh": "外来入侵物种",
    }
    assert labels["nagoya-protocol"]["fr"][0].startswith("Protocole de Nagoya")
    assert labels["cbd"]["es"][0] == "Convenio sobre la Diversidad Biológica"
    assert labels["cbd"]["ar"][0] == "اتفاقية التنوع البيولوجي"


@pytest.mark.parametrize(
    "concept_id",
    [
        # One of each kind people search for: ecosystems, species groups, threats, the
        # Convention's instruments and targets, capacity-building and regions.
        "mangrove",
        "coral-reef",
        "peatland",
        "pollinators",
        "crop-wild-relatives",
        "deforestation",
        "bushmeat",
        "ocean-acidification",
        "nbsap",
        "oecm",
        "thirty-by-thirty",
        "lmo",
        "dsi",
        "fpic",
        "harmful-subsidies",
        "one-health",
        "dna-barcoding",
        "gbif",
        "webinar",
        "fellowship",
        "south-south-cooperation",
        "community-of-practice",
        "amazon",
        "congo-basin",
        "sahel",
        "pacific-islands",
    ],
)
def test_the_concepts_people_search_for_most_are_there(concept_id: str) -> None:
    assert concept_id in {concept["id"] for concept in concepts()}
