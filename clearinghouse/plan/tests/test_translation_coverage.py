"""Every committed translation file of the action plan translates every text of the Arabic
import: each activity, expected output, indicator, partners cell and theme heading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clearinghouse.plan.models import ARABIC_LETTER
from clearinghouse.plan.parser import parse_plan
from clearinghouse.plan.tests.conftest import PLAN_FILE
from clearinghouse.plan.translations import TRANSLATIONS_DIR, check_fit, read_file, source_document

# The five languages the platform shows besides the Arabic original, by file name.
LANGUAGES = ("en", "fr", "es", "ru", "zh-hans")


@pytest.fixture(scope="module")
def arabic() -> dict[str, Any]:
    return source_document(parse_plan(PLAN_FILE.read_text(encoding="utf-8")))


def translation_file(language: str) -> Path:
    path = TRANSLATIONS_DIR / f"{language}.json"
    if not path.is_file():
        pytest.fail(f"{path.name} is missing")
    return path


def untranslated(arabic_text: str, translation: str) -> bool:
    """Empty, or still Arabic (organisation names too are translated)."""
    return bool(arabic_text) and (not translation or bool(ARABIC_LETTER.search(translation)))


def test_the_folder_holds_only_the_arabic_source_and_the_five_languages() -> None:
    names = {path.name for path in TRANSLATIONS_DIR.iterdir()}
    assert names <= {"ar.json", *(f"{language}.json" for language in LANGUAGES)}
    assert "ar.json" in names


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_file_translates_every_text_of_the_plan(language: str, arabic: dict[str, Any]) -> None:
    path = translation_file(language)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["unofficial"] is True
    check_fit(read_file(path), parse_plan(PLAN_FILE.read_text(encoding="utf-8")))
    missing: list[str] = []
    for theme in arabic["themes"]:
        if untranslated(theme, data["themes"].get(theme, "")):
            missing.append(f"theme {theme}")
    for number, source in arabic["activities"].items():
        entry = data["activities"].get(number)
        if entry is None:
            missing.append(f"activity {number}")
            continue
        for key in ("text", "partners"):
            if untranslated(source[key], entry.get(key, "")):
                missing.append(f"activity {number}, {key}")
        for key in ("outputs", "indicators"):
            for position, (original, text) in enumerate(zip(source[key], entry[key], strict=True), start=1):
                if untranslated(original, text):
                    missing.append(f"activity {number}, {key[:-1]} {position}")
    assert missing == [], f"{path.name} leaves {len(missing)} texts untranslated"
