"""One record read from a file (a row of a table, a form sheet, a submission): its language
decided, each value checked, and every problem collected with where it is. Every reader hands
its rows to ``clean_record``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clearinghouse.core.detection import detect_language
from clearinghouse.core.languages import CONTENT_LANGUAGES, language_code
from clearinghouse.exchange.cells import CellError, clean, empty_value, is_blank, split_codes, text_of
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.exchange.layout import LANGUAGE_FIELD
from clearinghouse.exchange.lists import Options
from clearinghouse.exchange.problems import Place, Problem

# Below this many characters a text's language is not guessed (a title of two words can read
# as several languages); texts in another script than the Latin one are always looked at.
DETECTION_MIN_CHARACTERS = 40


@dataclass
class RawRecord:
    """The values of one record as found in the file: field name → (column reference, value)."""

    place: Place
    cells: dict[str, tuple[str, Any]] = field(default_factory=dict)
    language: tuple[str, Any] | None = None
    # Where one record spreads over rows (the assessment sheet): the row of each field.
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return all(is_blank(value) for _reference, value in self.cells.values())


@dataclass(frozen=True)
class Reading:
    """What every record of one file shares."""

    options: Options
    default_language: str  # the workbook's language, or the uploader's
    ui_language: str  # the uploader's: labels in problems
    # Values every record of the file gets (the needs format's version).
    stamp: Mapping[str, Any] = field(default_factory=dict)


def _clearly_other_script(text: str) -> bool:
    return any(character.isalpha() and ord(character) > 0x024F for character in text)


def record_language(texts: list[str], default: str) -> str:
    """The language a record's texts are written in, when the file does not say: the default,
    unless they are clearly in another of the six languages."""
    joined = " ".join(text for text in texts if text)
    if len(joined) >= DETECTION_MIN_CHARACTERS or _clearly_other_script(joined):
        detected = detect_language(joined)
        if detected in CONTENT_LANGUAGES:
            return detected
    return default


def _given_language(value: Any) -> str | None:
    codes = split_codes(value)
    if len(codes) != 1:
        return None
    try:
        return language_code(codes[0])
    except ValidationError:
        return None


def clean_record(
    fields: Sequence[FieldDefinition], raw: RawRecord, reading: Reading, problems: list[Problem]
) -> dict[str, Any] | None:
    """The record's values for the workflow, or None after adding its problems to ``problems``."""
    values, found = clean_values(fields, raw, reading)
    problems.extend(found)
    return None if found else values


def clean_values(
    fields: Sequence[FieldDefinition], raw: RawRecord, reading: Reading
) -> tuple[dict[str, Any], list[Problem]]:
    """The values of the fields that are right, and the problems of the others."""
    found: list[Problem] = []

    def problem(name: str, reference: str, message: str) -> None:
        found.append(Problem(raw.place.sheet, raw.rows.get(name, raw.place.row), reference, message))

    language = None
    if raw.language is not None and not is_blank(raw.language[1]):
        language = _given_language(raw.language[1])
        if language is None:
            problem(
                LANGUAGE_FIELD,
                raw.language[0],
                _(
                    "Use the ISO 639 code of the language: ar, zh, en, fr, ru, es, or another such as "
                    "qu or quz."
                ),
            )
    multilingual = {item.name for item in fields if item.is_multilingual}
    if language is None:
        texts = [
            text_of(value)
            for name, (_reference, value) in raw.cells.items()
            if name in multilingual and not isinstance(value, dict)
        ]
        language = record_language(texts, reading.default_language)
    values: dict[str, Any] = {"original_language": language, **reading.stamp}
    for item in fields:
        reference, value = raw.cells.get(item.name, (item.label(reading.ui_language), None))
        if is_blank(value):
            if item.required:
                problem(item.name, reference, _("Required: fill this in."))
            values[item.name] = empty_value(item)
            continue
        try:
            values[item.name] = clean(
                item,
                value,
                options=reading.options,
                language=language,
                number_locale=reading.default_language,
            )
        except CellError as error:
            problem(item.name, reference, str(error))
    return values, found
