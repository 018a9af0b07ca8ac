"""The XLSForm of the common needs format, for ODK Collect, Enketo and KoboToolbox, generated
from the same definition as the template: labels and hints in the six languages, the
assessment as an optional group and the needs as a repeat, coded answers as select_one and
select_multiple with their lists (vocabulary terms included), and constraints for bounds,
lengths and e-mail addresses. Question names are the definition's field names, so exported
submissions map back onto the format (submissions.py); ``format_name`` and ``format_version``
travel with every submission and every need.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from clearinghouse.core.languages import CONTENT_LANGUAGES, pick_label
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.exchange.lists import CONTENT_LANGUAGE_OPTIONS, Option, Options, interface_language
from clearinghouse.exchange.writer import describe
from clearinghouse.needs.formats import CURRENT_VERSION, FormatDefinition, definition
from clearinghouse.needs.offline.submissions import FORMAT_NAME, FORMAT_VERSION, GROUP, HAS_ASSESSMENT, REPEAT

# XLSForm names a language "Name (code)"; ODK shows the name, the code is for the device's locale.
LANGUAGE_NAMES = {
    "ar": "Arabic (ar)",
    "zh": "Chinese (zh)",
    "en": "English (en)",
    "fr": "French (fr)",
    "ru": "Russian (ru)",
    "es": "Spanish (es)",
}
SURVEY_COLUMNS = ("type", "name", "required", "constraint", "relevant", "calculation", "appearance")
TRANSLATED = ("label", "hint", "constraint_message")
_TYPES = {
    "text": "text",
    "multilingual_text": "text",
    "multilingual_long_text": "text",
    "email": "text",
    "integer": "integer",
    "year": "integer",
    "decimal": "decimal",
}
_EMAIL = r"regex(., '^[^@\s]+@[^@\s]+\.[^@\s]+$')"
YES_NO = "yes_no"


def _in_every_language(message: str) -> dict[str, str]:
    """A message of this module in each of the six languages (from the catalogues)."""
    texts = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(interface_language(language)):
            texts[language] = _(message)
    return texts


class _Form:
    def __init__(self, format_definition: FormatDefinition) -> None:
        self.format = format_definition
        self.options = Options(format_definition.fields)
        self.survey: list[dict[str, str]] = []
        self.choices: list[dict[str, str]] = []
        self.lists: set[str] = set()

    def row(self, texts: dict[str, dict[str, str]] | None = None, **columns: str) -> None:
        row = dict(columns)
        for column, labels in (texts or {}).items():
            for language in CONTENT_LANGUAGES:
                row[f"{column}::{LANGUAGE_NAMES[language]}"] = pick_label(labels, language)
        self.survey.append(row)

    def choice_list(self, name: str, options: Iterable[Option]) -> str:
        if name not in self.lists:
            self.lists.add(name)
            for option in options:
                row = {"list_name": name, "name": option.code}
                for language in CONTENT_LANGUAGES:
                    row[f"label::{LANGUAGE_NAMES[language]}"] = option.label(language)
                self.choices.append(row)
        return name

    def question(self, item: FieldDefinition) -> None:
        columns = {"name": item.name, "required": "yes" if item.required else ""}
        texts: dict[str, dict[str, str]] = {"label": dict(item.labels), "hint": dict(item.helps)}
        constraints = []
        if item.type in _TYPES:
            columns["type"] = _TYPES[item.type]
        elif item.type == "boolean":
            columns["type"] = f"select_one {self.yes_no()}"
        else:
            key = item.vocabulary + item.only if item.vocabulary else item.name
            # Several lists can hold the same code; their names keep them apart.
            list_name = self.choice_list(key.replace("-", "_"), self.options.of(item, active_only=True))
            single = item.type in {"choice", "currency"}
            columns["type"] = f"{'select_one' if single else 'select_multiple'} {list_name}"
            if item.type in {"currency", "language_list"}:
                columns["appearance"] = "autocomplete" if single else "minimal"
        if item.type == "multilingual_long_text":
            columns["appearance"] = "multiline"
        if item.min is not None:
            constraints.append(f". >= {_plain(item.min)}")
        if item.max is not None:
            constraints.append(f". <= {_plain(item.max)}")
        if item.max_length:
            constraints.append(f"string-length(.) <= {item.max_length}")
        if item.type == "email":
            constraints.append(_EMAIL)
        if constraints:
            columns["constraint"] = " and ".join(constraints)
            texts["constraint_message"] = self.constraint_message(item)
        self.row(texts, **columns)

    def constraint_message(self, item: FieldDefinition) -> dict[str, str]:
        messages = {}
        for language in CONTENT_LANGUAGES:
            with translation.override(interface_language(language)):
                messages[language] = describe(item)
        return messages

    def yes_no(self) -> str:
        options = (
            Option("yes", _in_every_language("Yes")),
            Option("no", _in_every_language("No")),
        )
        return self.choice_list(YES_NO, options)

    def build(self) -> None:
        version = self.format.version
        self.row(type="calculate", name=FORMAT_NAME, calculation=f"'{self.format.format}'")
        self.row(type="calculate", name=FORMAT_VERSION, calculation=f"'{version}'")
        self.row(
            {"label": _in_every_language("In which language do you answer?")},
            type=f"select_one {self.choice_list('content_languages', CONTENT_LANGUAGE_OPTIONS)}",
            name="language",
            required="yes",
        )
        self.row(
            {"label": _in_every_language("Do you also describe the needs assessment these needs come from?")},
            type=f"select_one {self.yes_no()}",
            name=HAS_ASSESSMENT,
            required="yes",
        )
        assessment = self.format.form("assessment")
        self.row(
            {"label": dict(assessment.labels)},
            type="begin_group",
            name=GROUP,
            relevant=f"${{{HAS_ASSESSMENT}}} = 'yes'",
        )
        for item in assessment.fields:
            self.question(item)
        self.row(type="end_group", name=GROUP)
        need = self.format.form("need")
        self.row({"label": dict(need.labels)}, type="begin_repeat", name=REPEAT)
        # Each need carries the version too: ODK Central exports a repeat as a table of its own.
        self.row(type="calculate", name=FORMAT_VERSION, calculation=f"'{version}'")
        for item in need.fields:
            self.question(item)
        self.row(type="end_repeat", name=REPEAT)


def _plain(limit: float) -> str:
    return str(int(limit)) if float(limit).is_integer() else str(limit)


def _write(sheet: Worksheet, rows: list[dict[str, str]], first: Iterable[str]) -> None:
    columns = list(first)
    for row in rows:
        columns.extend(column for column in row if column not in columns)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])


def build_xlsform(version: str = CURRENT_VERSION) -> bytes:
    """The XLSForm (survey, choices and settings sheets) as .xlsx bytes."""
    form = _Form(definition(version))
    form.build()
    workbook = Workbook()
    survey = workbook.worksheets[0]
    survey.title = "survey"
    label_columns = [
        f"{column}::{LANGUAGE_NAMES[language]}" for column in TRANSLATED for language in CONTENT_LANGUAGES
    ]
    _write(survey, form.survey, [*SURVEY_COLUMNS[:2], *label_columns, *SURVEY_COLUMNS[2:]])
    _write(workbook.create_sheet("choices"), form.choices, ["list_name", "name"])
    settings = workbook.create_sheet("settings")
    titles = form.format.titles
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(
        [
            pick_label(titles, "en") or form.format.format,
            f"{form.format.format.replace('-', '_')}_{version.replace('.', '_')}",
            version,
            LANGUAGE_NAMES["en"],
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
