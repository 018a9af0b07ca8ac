"""Translation files of the action plan (``clearinghouse/plan/data/translations/<language>.json``).

The plan is imported from Arabic; these files carry unofficial translations of its texts into the
other five languages, one file per language, in the shape of ``ar.json``, the Arabic they were
translated from (written by ``clearinghouse importplan <text> --dump-source``)::

    {"language": "fr", "unofficial": true,
     "themes": {"<Arabic theme heading>": "<translation>", ...},
     "activities": {"1": {"text": "...", "outputs": ["...", ...], "indicators": ["...", ...],
                          "partners": "..."}, ...}}

Outputs and indicators are lists in the annex's order, as long as the Arabic ones; "partners"
translates the partners cell as written. ``import_plan`` applies them after the Arabic import: a
text is translated only while its Arabic equals the one in ``ar.json``, so a translation of a text
that has since changed is dropped, not shown beside the new text.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.plan.models import ORIGINAL_LANGUAGE, Activity, ActivityIndicator, ActivityOutput
from clearinghouse.plan.parser import Activity as ParsedActivity
from clearinghouse.plan.parser import Plan

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "data" / "translations"
SOURCE_FILE = f"{ORIGINAL_LANGUAGE}.json"
ITEM_LISTS = {"outputs": "expected outputs", "indicators": "indicators"}


class TranslationFileError(Exception):
    """A translation file that cannot be applied; the message names the file and the activity."""


@dataclass(frozen=True)
class ActivityTexts:
    """The texts of one activity in one language."""

    text: str
    outputs: list[str]
    indicators: list[str]
    partners: str


@dataclass(frozen=True)
class PlanTexts:
    """One translation file (or the Arabic source), read and checked for its shape."""

    name: str
    language: str
    themes: dict[str, str]
    activities: dict[int, ActivityTexts]


@dataclass
class TranslationReport:
    """What applying the translation files did."""

    files: list[str] = field(default_factory=list)
    changed: Counter[str] = field(default_factory=Counter)
    # Texts whose Arabic differs from ar.json: their translations in the files were not applied.
    outdated: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        counts = ", ".join(f"{language} {count}" for language, count in sorted(self.changed.items()))
        lines = [
            f"translations from {', '.join(self.files) or 'no file'}: "
            + (f"texts changed: {counts}" if counts else "nothing changed")
        ]
        lines += [
            f"{text}: the Arabic differs from {SOURCE_FILE}, its translations were not applied"
            for text in self.outdated
        ]
        return lines


def source_document(plan: Plan) -> dict[str, Any]:
    """The Arabic texts of the plan in the shape of a translation file (``ar.json``)."""
    themes = dict.fromkeys(activity.theme for activity in plan.activities if activity.theme)
    return {
        "language": ORIGINAL_LANGUAGE,
        "unofficial": False,
        "themes": {theme: theme for theme in themes},
        "activities": {
            str(activity.number): {
                "text": activity.text,
                "outputs": list(activity.outputs),
                "indicators": list(activity.indicators),
                "partners": activity.partners_text,
            }
            for activity in plan.activities
        },
    }


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TranslationFileError(f"{where}: expected a list of texts")
    return [item.strip() for item in value]


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise TranslationFileError(f"{where}: expected a text")
    return value.strip()


def read_file(path: Path) -> PlanTexts:
    """Read a translation file and check its shape (not yet its fit to the plan)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TranslationFileError(f"{path.name}: cannot be read as JSON ({error})") from error
    if not isinstance(data, dict):
        raise TranslationFileError(f"{path.name}: expected an object with language, themes and activities")
    language = content_language(str(data.get("language", "")))
    if language != content_language(path.stem) or language not in CONTENT_LANGUAGES:
        raise TranslationFileError(
            f"{path.name}: its language is {data.get('language')!r}; a file is named after its language "
            f"({', '.join(code for code in CONTENT_LANGUAGES if code != ORIGINAL_LANGUAGE)}, zh as zh-hans)"
        )
    themes = data.get("themes", {})
    activities = data.get("activities", {})
    if not isinstance(themes, dict) or not isinstance(activities, dict):
        raise TranslationFileError(f"{path.name}: themes and activities must be objects")
    texts: dict[int, ActivityTexts] = {}
    for key, entry in activities.items():
        where = f"{path.name}: activity {key}"
        if not key.isdigit():
            raise TranslationFileError(f"{where}: activities are keyed by their number")
        if not isinstance(entry, dict):
            raise TranslationFileError(
                f"{where}: expected an object with text, outputs, indicators and partners"
            )
        texts[int(key)] = ActivityTexts(
            text=_string(entry.get("text", ""), f"{where}, text"),
            outputs=_strings(entry.get("outputs", []), f"{where}, outputs"),
            indicators=_strings(entry.get("indicators", []), f"{where}, indicators"),
            partners=_string(entry.get("partners", ""), f"{where}, partners"),
        )
    return PlanTexts(
        name=path.name,
        language=language,
        themes={arabic: _string(text, f"{path.name}: theme {arabic}") for arabic, text in themes.items()},
        activities=texts,
    )


def check_fit(translation: PlanTexts, plan: Plan) -> None:
    """Refuse a file that names an activity or theme the plan does not have, or whose outputs or
    indicators do not line up with the Arabic ones."""
    by_number = {activity.number: activity for activity in plan.activities}
    themes = {activity.theme for activity in plan.activities if activity.theme}
    for theme in translation.themes:
        if theme not in themes:
            raise TranslationFileError(
                f"{translation.name} ({translation.language}): theme {theme!r} is not a theme heading "
                "of the plan"
            )
    for number, texts in translation.activities.items():
        where = f"{translation.name} ({translation.language}): activity {number}"
        parsed = by_number.get(number)
        if parsed is None:
            raise TranslationFileError(f"{where}: the plan has no activity with this number")
        for key, label in ITEM_LISTS.items():
            given, arabic = len(getattr(texts, key)), len(getattr(parsed, key))
            if given != arabic:
                raise TranslationFileError(f"{where}: {given} {label} translated, the Arabic has {arabic}")


def read_folder(folder: Path, plan: Plan) -> tuple[PlanTexts, list[PlanTexts]]:
    """The Arabic source (``ar.json``) and every translation file of ``folder``, checked against
    the plan; raises TranslationFileError before anything is saved."""
    source_path = folder / SOURCE_FILE
    if not source_path.is_file():
        raise TranslationFileError(
            f"{folder}: no {SOURCE_FILE}, the Arabic the translations were made from "
            "(write it with `clearinghouse importplan <text> --dump-source`)"
        )
    source = read_file(source_path)
    translations = [read_file(path) for path in sorted(folder.glob("*.json")) if path != source_path]
    for translation in translations:
        check_fit(translation, plan)
    return source, translations


def _put(translations: dict[str, str], language: str, text: str) -> bool:
    """Put or remove (empty text) one language's text; True if it changed."""
    if translations.get(language, "") == text:
        return False
    if text:
        translations[language] = text
    else:
        translations.pop(language, None)
    return True


def _apply_items(
    model: type[ActivityOutput] | type[ActivityIndicator],
    activity: Activity,
    key: str,
    parsed: ParsedActivity,
    source: ActivityTexts | None,
    translations: list[PlanTexts],
    report: TranslationReport,
) -> None:
    arabic: list[str] = getattr(parsed, key)
    sources: list[str] = getattr(source, key) if source else []
    for row in model.objects.filter(activity=activity).order_by("position"):
        index = row.position - 1
        if index >= len(sources) or sources[index] != arabic[index]:
            report.outdated.append(f"activity {parsed.number}, {key[:-1]} {row.position}")
            continue
        changed = False
        for translation in translations:
            texts = translation.activities.get(parsed.number)
            if texts is not None and _put(row.translations, translation.language, getattr(texts, key)[index]):
                report.changed[translation.language] += 1
                changed = True
        if changed:
            row.save(update_fields=["translations"])


def apply_translations(plan: Plan, source: PlanTexts, translations: list[PlanTexts]) -> TranslationReport:
    """Write the files' translations onto the imported activities (call inside the import's
    transaction, after the Arabic is in). Running it twice changes nothing the second time."""
    report = TranslationReport(files=[translation.name for translation in translations])
    activities = {activity.number: activity for activity in Activity.objects.all()}
    for parsed in plan.activities:
        activity = activities[parsed.number]
        source_texts = source.activities.get(parsed.number)
        fields: set[str] = set()
        # (stored translations, the Arabic imported, the field of the files that translates it)
        texts = [
            ("text_translations", parsed.text, "text"),
            ("partners_translations", parsed.partners_text, "partners"),
        ]
        for name, arabic, key in texts:
            if not arabic:
                continue
            if source_texts is None or getattr(source_texts, key) != arabic:
                report.outdated.append(f"activity {parsed.number}, {key}")
                continue
            for translation in translations:
                entry = translation.activities.get(parsed.number)
                stored = getattr(activity, name)
                if entry is not None and _put(stored, translation.language, getattr(entry, key)):
                    report.changed[translation.language] += 1
                    fields.add(name)
        if parsed.theme:
            for translation in translations:
                theme = translation.themes.get(parsed.theme)
                if theme is not None and _put(activity.theme_translations, translation.language, theme):
                    fields.add("theme_translations")
        if fields:
            activity.save(update_fields=sorted(fields))
        _apply_items(ActivityOutput, activity, "outputs", parsed, source_texts, translations, report)
        _apply_items(ActivityIndicator, activity, "indicators", parsed, source_texts, translations, report)
    return report
