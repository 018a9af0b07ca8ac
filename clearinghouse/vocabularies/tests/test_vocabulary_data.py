"""Checks on the committed vocabularies in vocabularies/data/*.json (no Django needed)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
NAMES = (
    "aichi-targets",
    "capacity-levels",
    "gbf-targets",
    "instruments",
    "subjects",
    "support-types",
    "target-groups",
)
SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}
LATIN = re.compile(r"[A-Za-zÀ-ÿ]")


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def codes(name: str) -> list[str]:
    return [term["code"] for term in load(name)["terms"]]


def test_the_data_folder_holds_exactly_these_vocabularies() -> None:
    assert sorted(path.stem for path in DATA.glob("*.json")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_file_shape(name: str) -> None:
    vocabulary = load(name)
    assert set(vocabulary) == {"name", "version", "source", "titles", "terms"}
    assert vocabulary["name"] == name
    assert re.fullmatch(r"\d{4}\.\d+", vocabulary["version"])
    assert vocabulary["source"].strip()
    assert vocabulary["terms"]
    for term in vocabulary["terms"]:
        assert set(term) == {"code", "labels", "parent", "maps_to"}, term
        assert isinstance(term["maps_to"], list), term["code"]
        assert len(term["code"]) <= 60


@pytest.mark.parametrize("name", NAMES)
def test_codes_are_unique(name: str) -> None:
    assert len(codes(name)) == len(set(codes(name)))


@pytest.mark.parametrize("name", NAMES)
def test_every_label_is_present_and_in_the_right_script(name: str) -> None:
    vocabulary = load(name)
    for where, labels in [("titles", vocabulary["titles"])] + [
        (term["code"], term["labels"]) for term in vocabulary["terms"]
    ]:
        assert set(labels) == set(LANGUAGES), where
        for language, label in labels.items():
            assert isinstance(label, str), (where, language)
            assert label.strip() == label != "", (where, language)
            assert "  " not in label, (where, language)
            assert unicodedata.normalize("NFC", label) == label, (where, language)
            pattern = SCRIPTS.get(language, LATIN)
            assert pattern.search(label), (where, language, label)
        # Latin letters must not stand in for the other scripts (a missed translation).
        for language in SCRIPTS:
            assert labels[language] != labels["en"], (where, language)


@pytest.mark.parametrize("name", NAMES)
def test_labels_are_distinct_within_a_language(name: str) -> None:
    for language in LANGUAGES:
        labels = [term["labels"][language] for term in load(name)["terms"]]
        assert len(labels) == len(set(labels)), (name, language)


@pytest.mark.parametrize("name", NAMES)
def test_parents_resolve_without_cycles(name: str) -> None:
    parents = {term["code"]: term["parent"] for term in load(name)["terms"]}
    for code in parents:
        seen = {code}
        parent = parents[code]
        while parent is not None:
            assert parent in parents, (code, parent)
            assert parent not in seen, (code, parent)
            seen.add(parent)
            parent = parents[parent]


def test_maps_to_resolve_across_vocabularies() -> None:
    known = {code for name in NAMES for code in codes(name)}
    for name in NAMES:
        for term in load(name)["terms"]:
            for target in term["maps_to"]:
                assert target in known, (name, term["code"], target)
                assert target not in codes(name), (name, term["code"], target)


def test_gbf_goals_and_targets() -> None:
    expected = {f"GBF-G{letter}" for letter in "ABCD"} | {f"GBF-T{number}" for number in range(1, 24)}
    assert set(codes("gbf-targets")) == expected
    # Targets are not formally nested under goals in the framework.
    assert all(term["parent"] is None for term in load("gbf-targets")["terms"])
    labels = {term["code"]: term["labels"] for term in load("gbf-targets")["terms"]}
    assert labels["GBF-T3"]["en"] == "Conserve 30% of land, waters and seas"
    assert labels["GBF-T2"]["en"] == "Restore 30% of all degraded ecosystems"


def test_aichi_goals_targets_and_mapping() -> None:
    terms = {term["code"]: term for term in load("aichi-targets")["terms"]}
    goals = {f"AICHI-S{letter}" for letter in "ABCDE"}
    targets = {f"AICHI-T{number}" for number in range(1, 21)}
    assert set(terms) == goals | targets
    spans = {"AICHI-SA": (1, 4), "AICHI-SB": (5, 10), "AICHI-SC": (11, 13), "AICHI-SD": (14, 16)}
    spans["AICHI-SE"] = (17, 20)
    for goal, (first, last) in spans.items():
        assert terms[goal]["parent"] is None
        for number in range(first, last + 1):
            assert terms[f"AICHI-T{number}"]["parent"] == goal
    gbf = set(codes("gbf-targets"))
    for code in targets:
        assert set(terms[code]["maps_to"]) <= gbf, code
    assert terms["AICHI-T11"]["maps_to"] == ["GBF-T3"]
    assert terms["AICHI-T9"]["maps_to"] == ["GBF-T6"]
    assert terms["AICHI-T16"]["maps_to"] == ["GBF-T13"]
    assert terms["AICHI-T20"]["maps_to"] == ["GBF-T19"]
    # NBSAPs are a GBF implementation mechanism, not a target.
    assert terms["AICHI-T17"]["maps_to"] == []


def test_instruments() -> None:
    parents = {term["code"]: term["parent"] for term in load("instruments")["terms"]}
    assert parents == {"CBD": None, "CPB": "CBD", "NP": "CBD"}


def test_subjects_are_a_small_two_level_thesaurus() -> None:
    terms = {term["code"]: term for term in load("subjects")["terms"]}
    assert 25 <= len(terms) <= 35
    for code, term in terms.items():
        assert re.fullmatch(r"SUBJ-[A-Z]+(-[A-Z]+)*", code), code
        if term["parent"] is not None:
            assert terms[term["parent"]]["parent"] is None, code
    for code in (
        "SUBJ-PROTECTED-AREAS",
        "SUBJ-MARINE-COASTAL",
        "SUBJ-INVASIVE-ALIEN-SPECIES",
        "SUBJ-RESTORATION",
        "SUBJ-SUSTAINABLE-USE",
        "SUBJ-BIOSAFETY",
        "SUBJ-ABS",
        "SUBJ-TRADITIONAL-KNOWLEDGE",
        "SUBJ-TAXONOMY",
        "SUBJ-FINANCE",
        "SUBJ-MAINSTREAMING",
        "SUBJ-CEPA",
        "SUBJ-GENDER",
        "SUBJ-YOUTH",
        "SUBJ-NBSAP-REPORTING",
        "SUBJ-CLIMATE-CHANGE",
        "SUBJ-DATA-INFORMATION",
        "SUBJ-SPATIAL-PLANNING",
        "SUBJ-AGRICULTURAL-BIODIVERSITY",
        "SUBJ-FORESTS",
        "SUBJ-INLAND-WATERS",
        "SUBJ-HEALTH-BIODIVERSITY",
        "SUBJ-BUSINESS-BIODIVERSITY",
        "SUBJ-POLLUTION",
        "SUBJ-WILDLIFE-TRADE",
        "SUBJ-URBAN-BIODIVERSITY",
        "SUBJ-TECHNOLOGY-TRANSFER",
    ):
        assert code in terms, code


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "support-types",
            ["training", "expertise", "technology", "funding", "fellowship", "data_tools", "institutional"],
        ),
        ("capacity-levels", ["individual", "organisational", "enabling_environment"]),
    ],
)
def test_exact_code_lists(name: str, expected: list[str]) -> None:
    assert codes(name) == expected
    assert all(term["parent"] is None and term["maps_to"] == [] for term in load(name)["terms"])


def test_target_groups() -> None:
    required = ["government", "iplc", "women", "youth", "academia", "private_sector", "civil_society"]
    required.append("subnational")
    assert codes("target-groups")[: len(required)] == required
    assert set(codes("target-groups")) - set(required) <= {"educators", "media"}
