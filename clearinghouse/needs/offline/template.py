"""The spreadsheet template of the common needs format, in one of the six languages (openpyxl).

Sheets: Instructions (title, version, how to fill it in, and a legend of every column with its
help text); Assessment (optional: one field per row, the answer in column C); Needs (headings
with * on required columns, a row of field codes, then one need per row, 500 rows formatted in
advance); and a hidden Lists sheet with the drop-down lists ("CODE — label" in the workbook's
language) and the format's name, version and language. Choice columns get a drop-down; columns
taking several codes keep the drop-down for the first code and accept more typed after a ";"
(Excel's list validation cannot hold several values, so those columns warn instead of refusing).
Numbers, years and text lengths are checked by Excel as well as on upload. An Arabic workbook
reads right to left on every sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from clearinghouse.core.languages import pick_label
from clearinghouse.needs.formats import CURRENT_VERSION, FieldDefinition, FormatDefinition, definition
from clearinghouse.needs.offline import layout
from clearinghouse.needs.offline.lists import (
    CONTENT_LANGUAGE_OPTIONS,
    Option,
    Options,
    interface_language,
    workbook_language,
)

HEADING = Font(bold=True)
CODE_FONT = Font(italic=True, color="666666", size=9)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_FORMAT = "@"
# How far down the drop-downs and checks reach: the most rows an upload may have.
VALIDATED_ROWS = 5000


def describe(item: FieldDefinition) -> str:
    """What to enter in a field's column, in the active language."""
    kind = item.type
    if kind in {"text", "multilingual_text", "multilingual_long_text"}:
        if item.max_length:
            return _("Text, at most %(limit)d characters.") % {"limit": item.max_length}
        return _("Text.")
    if kind == "integer":
        return _("A whole number from %(minimum)d to %(maximum)d.") % _bounds(item)
    if kind == "year":
        return _("A year from %(minimum)d to %(maximum)d.") % _bounds(item)
    if kind == "decimal":
        return _("An amount from %(minimum)d to %(maximum)d, without currency sign.") % _bounds(item)
    if kind == "email":
        return _("An e-mail address.")
    if kind == "boolean":
        return _("yes or no.")
    if kind == "currency":
        return _("A currency code (ISO 4217) from the list, such as USD or EUR.")
    if kind == "language_list":
        return _("Language codes (ISO 639-1) from the list, separated by a semicolon, such as en;fr;sw.")
    if kind == "choice":
        return _("One code from the list.")
    return _("One or more codes from the list, separated by a semicolon (;), such as A;B.")


def _bounds(item: FieldDefinition) -> dict[str, int]:
    return {"minimum": int(item.min or 0), "maximum": int(item.max if item.max is not None else 0)}


def language_column_help() -> str:
    return _(
        "Optional: the language the texts of this row are written in (ar, zh, en, fr, ru or es). "
        "Left empty, it is the language of the workbook, unless the texts are clearly written in "
        "another of the six languages: then that language is recorded."
    )


@dataclass
class Template:
    """An open template workbook: export.py fills its Needs sheet before saving it."""

    workbook: Workbook
    needs: Worksheet
    assessment: Worksheet
    columns: list[str] = field(default_factory=list)  # field codes of the Needs sheet, in order

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def build_workbook(language: str, version: str = CURRENT_VERSION) -> bytes:
    """The empty template, ready to fill in offline, as .xlsx bytes."""
    return open_template(language, version).save()


def open_template(
    language: str, version: str = CURRENT_VERSION, *, options: Options | None = None
) -> Template:
    language = workbook_language(language)
    format_definition = definition(version)
    options = options or Options(format_definition)
    with translation.override(interface_language(language)):
        return _Builder(format_definition, language, options).build()


class _Builder:
    def __init__(self, format_definition: FormatDefinition, language: str, options: Options) -> None:
        self.format = format_definition
        self.language = language
        self.options = options
        self.workbook = Workbook()
        self.workbook.worksheets[0].title = layout.sheet_title(_("Instructions"))
        self.workbook.create_sheet(layout.sheet_title(_("Assessment")))
        self.workbook.create_sheet(layout.sheet_title(_("Needs")))
        self.lists = self.workbook.create_sheet(layout.sheet_title(_("Lists")))
        self.list_ranges: dict[str, str] = {}

    def build(self) -> Template:
        instructions, assessment, needs, _lists = self.workbook.worksheets
        self._metadata(self.lists, assessment, needs)
        self._assessment(assessment)
        columns = self._needs(needs)
        self._instructions(instructions, assessment, needs)
        self.lists.sheet_state = "hidden"
        for sheet in self.workbook.worksheets:
            sheet.sheet_view.rightToLeft = self.language == "ar"
        self.workbook.active = self.workbook.index(needs)
        return Template(self.workbook, needs, assessment, columns)

    # --- metadata and lists -------------------------------------------------------------------

    def _metadata(self, lists: Worksheet, assessment: Worksheet, needs: Worksheet) -> None:
        lists["A1"], lists["B1"], lists["C1"] = self.format.format, self.format.version, self.language
        for name, sheet, cell in (
            (layout.FORMAT_CELL, lists, "$A$1"),
            (layout.VERSION_CELL, lists, "$B$1"),
            (layout.LANGUAGE_CELL, lists, "$C$1"),
            (layout.NEEDS_SHEET, needs, "$A$1"),
            (layout.ASSESSMENT_SHEET, assessment, "$A$1"),
        ):
            self.workbook.defined_names[name] = DefinedName(
                name, attr_text=f"{quote_sheetname(sheet.title)}!{cell}"
            )

    def _list_range(self, key: str, options: Iterable[Option]) -> str:
        """The absolute range of a drop-down list on the Lists sheet, written once per key."""
        if key not in self.list_ranges:
            column = len(self.list_ranges) + 1
            letter = get_column_letter(column)
            self.lists.cell(layout.LIST_KEY_ROW, column, key)
            count = 0
            for count, option in enumerate(options, start=1):
                self.lists.cell(layout.FIRST_LIST_ROW + count - 1, column, option.entry(self.language))
            last = layout.FIRST_LIST_ROW + max(count, 1) - 1
            self.list_ranges[key] = (
                f"{quote_sheetname(self.lists.title)}!${letter}${layout.FIRST_LIST_ROW}:${letter}${last}"
            )
        return self.list_ranges[key]

    def _validation(self, item: FieldDefinition | None) -> DataValidation | None:
        """Excel's own check for a column: a drop-down for codes, bounds for numbers, a length
        for texts. ``None`` stands for the row-language column."""
        if item is None:
            validation = DataValidation(
                type="list", formula1=self._list_range("language", CONTENT_LANGUAGE_OPTIONS)
            )
        elif item.type in {"choice", "multi_choice", "currency", "language_list"}:
            key = item.vocabulary + item.only if item.vocabulary else item.name
            validation = DataValidation(
                type="list", formula1=self._list_range(key, self.options.of(item, active_only=True))
            )
            if item.is_many:
                # Several codes typed with ";" are not in the list: they go through (no error
                # alert), with a reminder when the cell is selected.
                validation.prompt = _("Pick a code, or type several separated by a semicolon (;).")[:255]
                validation.showInputMessage = True
        elif item.type in {"integer", "year", "decimal"} and item.min is not None and item.max is not None:
            validation = DataValidation(
                type="decimal" if item.type == "decimal" else "whole",
                operator="between",
                formula1=_plain(item.min),
                formula2=_plain(item.max),
            )
        elif item.max_length:
            validation = DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=str(item.max_length)
            )
        else:
            return None
        validation.allow_blank = True
        if item is None or not item.is_many:
            validation.showErrorMessage = True
            # A bare code ("USD") is not in the list ("USD — US dollar") but is right: for lists,
            # a warning that lets it through; numbers and lengths are refused.
            validation.errorStyle = "warning" if validation.type == "list" else "stop"
            validation.error = describe(item)[:255] if item else language_column_help()[:255]
            validation.errorTitle = _("Check this value")[:32]
        return validation

    # --- sheets -------------------------------------------------------------------------------

    def _assessment(self, sheet: Worksheet) -> None:
        form = self.format.form("assessment")
        headings = (_("Field"), _("Code"), _("Your answer"), _("Help"))
        for column, heading in enumerate(headings, start=1):
            cell = sheet.cell(1, column, heading)
            cell.font, cell.fill = HEADING, HEADING_FILL
        rows: list[tuple[FieldDefinition | None, str, str, str]] = [
            (item, _label(item, self.language), item.name, item.help(self.language)) for item in form.fields
        ]
        rows.append((None, _("Language of the texts"), layout.LANGUAGE_FIELD, language_column_help()))
        for row, (item, label, code, help_text) in enumerate(rows, start=2):
            sheet.cell(row, 1, label).font = HEADING
            sheet.cell(row, layout.ASSESSMENT_CODE_COLUMN, code).font = CODE_FONT
            answer = sheet.cell(row, layout.ASSESSMENT_VALUE_COLUMN)
            answer.alignment = WRAP
            answer.number_format = _number_format(item)
            if item is not None and item.required:
                answer.fill = REQUIRED_FILL
            sheet.cell(row, 4, help_text).alignment = WRAP
            validation = self._validation(item)
            if validation is not None:
                sheet.add_data_validation(validation)
                validation.add(answer.coordinate)
        for letter, width in zip("ABCD", (34, 20, 60, 60), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"

    def _needs(self, sheet: Worksheet) -> list[str]:
        form = self.format.form("need")
        items: list[FieldDefinition | None] = [*form.fields, None]
        codes = [item.name if item else layout.LANGUAGE_FIELD for item in items]
        last_row = layout.FIRST_ROW + layout.PREFORMATTED_ROWS - 1
        for column, (item, code) in enumerate(zip(items, codes, strict=True), start=1):
            letter = get_column_letter(column)
            label = _label(item, self.language) if item else _("Language of the texts")
            heading = sheet.cell(layout.LABEL_ROW, column, label)
            heading.font, heading.alignment = HEADING, WRAP
            heading.fill = REQUIRED_FILL if item is not None and item.required else HEADING_FILL
            sheet.cell(layout.CODE_ROW, column, code).font = CODE_FONT
            number_format = _number_format(item)
            for row in range(layout.FIRST_ROW, last_row + 1):
                cell = sheet.cell(row, column)
                cell.number_format = number_format
                cell.alignment = WRAP
            sheet.column_dimensions[letter].width = _width(item)
            validation = self._validation(item)
            if validation is not None:
                sheet.add_data_validation(validation)
                validation.add(f"{letter}{layout.FIRST_ROW}:{letter}{VALIDATED_ROWS + layout.CODE_ROW}")
        sheet.row_dimensions[layout.LABEL_ROW].height = 45
        sheet.freeze_panes = sheet.cell(layout.FIRST_ROW, 2).coordinate
        return codes

    def _instructions(self, sheet: Worksheet, assessment: Worksheet, needs: Worksheet) -> None:
        lines = [
            (_label_of(self.format.titles, self.language, self.format.format), Font(bold=True, size=14)),
            (
                _("Format %(name)s, version %(version)s")
                % {"name": self.format.format, "version": self.format.version},
                None,
            ),
            ("", None),
            (_label_of(self.format.instructions, self.language, ""), None),
            (
                _(
                    "Sheet %(assessment)s is optional: fill it in to describe the needs assessment these "
                    "needs come from, one answer per row in column C. Sheet %(needs)s takes one need per row."
                )
                % {"assessment": assessment.title, "needs": needs.title},
                None,
            ),
            (
                _(
                    "Where several codes are allowed, pick one from the drop-down list and type the others "
                    "after it, separated by a semicolon (;). You may keep the label after the code, as the "
                    "list shows it, or type the code alone."
                ),
                None,
            ),
            (_("Nothing is calculated: a cell starting with =, +, - or @ is kept as plain text."), None),
            (language_column_help(), None),
            ("", None),
        ]
        for row, (text, font) in enumerate(lines, start=1):
            cell = sheet.cell(row, 1, text)
            cell.alignment = WRAP
            if font is not None:
                cell.font = font
        sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=7)
        legend = len(lines) + 1
        headings = (
            _("Sheet"),
            _("Column"),
            _("Field"),
            _("Code"),
            _("Required"),
            _("What to enter"),
            _("Help"),
        )
        for column, heading in enumerate(headings, start=1):
            cell = sheet.cell(legend, column, heading)
            cell.font, cell.fill = HEADING, HEADING_FILL
        row = legend + 1
        for item, place, title in self._legend(assessment, needs):
            values = (
                title,
                place,
                item.label(self.language),
                item.name,
                _("yes") if item.required else "",
                describe(item),
                item.help(self.language),
            )
            for column, value in enumerate(values, start=1):
                sheet.cell(row, column, value).alignment = WRAP
            row += 1
        for letter, width in zip("ABCDEFG", (16, 10, 32, 20, 10, 40, 60), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.row_dimensions[4].height = 75

    def _legend(self, assessment: Worksheet, needs: Worksheet) -> list[tuple[FieldDefinition, str, str]]:
        rows = [
            (item, f"{layout.ASSESSMENT_VALUE_LETTER}{number}", assessment.title)
            for number, item in enumerate(self.format.form("assessment").fields, start=2)
        ]
        rows += [
            (item, get_column_letter(number), needs.title)
            for number, item in enumerate(self.format.form("need").fields, start=1)
        ]
        return rows


def _label_of(labels: Mapping[str, str], language: str, default: str) -> str:
    return pick_label(labels, language) or default


def _label(item: FieldDefinition | None, language: str) -> str:
    if item is None:
        return ""
    return f"{item.label(language)} *" if item.required else item.label(language)


def _plain(limit: float) -> str:
    return str(int(limit)) if float(limit).is_integer() else str(limit)


def _number_format(item: FieldDefinition | None) -> str:
    if item is not None and item.type in {"integer", "year"}:
        return "0"
    if item is not None and item.type == "decimal":
        return "#,##0.00"
    # Text format: Excel keeps what is typed (codes, "+1", leading zeros) as typed.
    return TEXT_FORMAT


def _width(item: FieldDefinition | None) -> float:
    if item is None or item.type in {"integer", "year", "decimal", "currency", "boolean"}:
        return 14
    if item.type == "multilingual_long_text":
        return 50
    return 30
