"""The exchange workbook of a record type, in one of the six languages (openpyxl): what a person
fills in offline, and what exports are made of.

Sheets: Instructions (title, version, how to fill it in, and a legend of every column with its
help text); the type's sheets, each either a table (headings with * on required columns, a row of
field codes, then one record per row, 500 rows formatted in advance) or a form (one record, one
field per row, the answer in column C); and a hidden Lists sheet with the drop-down lists ("CODE
— label" in the workbook's language) and the format's name, version and language. Columns of
coded values get a drop-down; columns taking several codes keep the drop-down for the first code
and accept more typed after a ";" (Excel's list validation cannot hold several values, so those
columns warn instead of refusing). Numbers, years, dates and text lengths are checked by Excel
as well as on upload (dates only on upload: a date typed in a text cell is not a date to Excel).
An Arabic workbook reads right to left on every sheet.

A table may give each multilingual field a column per language (``title.en``, ``title.fr``...),
so that an export keeps every translation; otherwise the texts are in the row's language,
named in its language column.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from clearinghouse.core.languages import CONTENT_LANGUAGES, is_language_code, language_name
from clearinghouse.exchange import layout
from clearinghouse.exchange.cells import FORMULA_STARTS
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.exchange.lists import (
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


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: found by its defined ``name``; ``title`` is called in the
    workbook's language. ``form``: one record, one field per row (else a table, one record per
    row). ``every_language``: a multilingual field has a column per language, the six's and
    ``other_languages``' (those an export's records are written in besides the six). ``extra`` are
    columns written by the platform (an identifier, a status): exported, never imported."""

    name: str
    title: Callable[[], str]
    fields: tuple[FieldDefinition, ...]
    form: bool = False
    language_column: str = layout.LANGUAGE_FIELD
    every_language: bool = False
    other_languages: tuple[str, ...] = ()
    extra: tuple[tuple[str, Callable[[], str]], ...] = ()


@dataclass(frozen=True)
class Layout:
    """A workbook: the format's name and version (checked on upload), its sheets, and what the
    Instructions sheet says before the generic advice (called in the workbook's language)."""

    format: str
    version: str
    title: Callable[[str], str]
    introduction: Callable[[str], Sequence[str]]
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)


@dataclass(frozen=True)
class Column:
    """One column of a table: its code (the codes row), the field it holds (None for the
    language column and the platform's columns), and for a per-language text column, its
    language."""

    code: str
    field: FieldDefinition | None
    language: str = ""


def table_columns(sheet: Sheet) -> list[Column]:
    """A table's columns, in order: the platform's, the fields (a multilingual field once per
    language when the sheet keeps every language), then the language column."""
    columns = [Column(code, None) for code, _label in sheet.extra]
    for item in sheet.fields:
        if item.is_multilingual and sheet.every_language:
            languages = (*CONTENT_LANGUAGES, *sheet.other_languages)
            columns += [Column(f"{item.name}.{code}", item, code) for code in languages]
        else:
            columns.append(Column(item.name, item))
    return [*columns, Column(sheet.language_column, None)]


def text_column(sheet: Sheet, code: str) -> Column | None:
    """The column of a text in a language other than the six (``title.qu``), when a sheet
    with a column per language has one: files may add them for any ISO 639 language."""
    name, _dot, language = code.partition(".")
    if not sheet.every_language or not is_language_code(language):
        return None
    item = next((item for item in sheet.fields if item.name == name and item.is_multilingual), None)
    return Column(code, item, language) if item is not None else None


def describe(item: FieldDefinition) -> str:
    """What to enter in a field's column, in the active language."""
    kind = item.type
    if kind in {"text", "multilingual_text", "multilingual_long_text"}:
        if item.max_length:
            return ngettext(
                "Text, at most %(limit)d character.", "Text, at most %(limit)d characters.", item.max_length
            ) % {"limit": item.max_length}
        return _("Text.")
    if kind == "integer":
        if item.min is None or item.max is None:
            return _("A whole number.")
        return _("A whole number from %(minimum)d to %(maximum)d.") % _bounds(item)
    if kind == "year":
        return _("A year from %(minimum)d to %(maximum)d.") % _bounds(item)
    if kind == "decimal":
        if item.max is None:
            return _("An amount, without currency sign.")
        return _("An amount from %(minimum)d to %(maximum)d, without currency sign.") % _bounds(item)
    if kind == "email":
        return _("An e-mail address.")
    if kind == "boolean":
        return _("yes or no.")
    if kind == "currency":
        return _("A currency code (ISO 4217) from the list, such as USD or EUR.")
    if kind == "language_list":
        return _("Language codes (ISO 639-1) from the list, separated by a semicolon, such as en;fr;sw.")
    if kind == "date":
        return _("A date, as YYYY-MM-DD.")
    if kind == "datetime":
        return _(
            "A date and time in UTC, as YYYY-MM-DD HH:MM, or with its offset, such as 2027-05-12T09:00+03:00."
        )
    if kind == "url":
        return _("A web address, starting with https://.")
    if kind == "url_list":
        return _("Web addresses, separated by a semicolon (;).")
    if kind == "text_list":
        return _("Texts, separated by a semicolon (;).")
    if kind == "organisation":
        return _("The code of an organisation registered on this site.")
    if kind == "organisation_list":
        return _("Codes of organisations registered on this site, separated by a semicolon (;).")
    if kind == "reference":
        return _("A code from this site, such as a country's ISO code.")
    if kind == "reference_list":
        return _("Codes from this site, such as countries' ISO codes, separated by a semicolon (;).")
    if kind == "activity_list":
        return _("Numbers of the action plan's activities, separated by a semicolon (;), such as 1;46.")
    if kind == "record":
        return _("The identifier of a record, such as CB-INIT-KE-000012.")
    if kind == "record_list":
        return _("Identifiers of records, separated by a semicolon (;).")
    if kind == "choice":
        return _("One code from the list.")
    return _("One or more codes from the list, separated by a semicolon (;), such as A;B.")


def _bounds(item: FieldDefinition) -> dict[str, int]:
    return {"minimum": int(item.min or 0), "maximum": int(item.max if item.max is not None else 0)}


def language_column_help() -> str:
    return _(
        "Optional: the language the texts of this row are written in: ar, zh, en, fr, ru, es, or "
        "the ISO 639 code of any other language (qu, quz, sw ...). Left empty, it is the language "
        "of the workbook, unless the texts are clearly written in another of the six languages: "
        "then that language is recorded."
    )


def heading(column: Column, language: str, *, star: bool = True) -> str:
    """A table column's heading in ``language`` (with * when required and ``star``)."""
    if column.field is None:
        return _("Language of the texts")
    label = column.field.label(language)
    if column.language:
        name = language_name(column.language, language)
        return _("%(field)s (%(language)s)") % {"field": label, "language": name}
    return f"{label} *" if column.field.required and star else label


@dataclass
class Written:
    """An open workbook: exports fill its tables (``fill``) before saving it."""

    workbook: Workbook
    language: str
    sheets: dict[str, Worksheet]
    columns: dict[str, list[Column]] = field(default_factory=dict)

    def fill(self, name: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Write rows (column code → value) into a table from its first row on. A text that a
        spreadsheet would run as a formula is stored as text (Excel's quote prefix)."""
        sheet, columns = self.sheets[name], self.columns[name]
        for number, row in enumerate(rows, start=layout.FIRST_ROW):
            for index, column in enumerate(columns, start=1):
                value = row.get(column.code)
                if value in (None, ""):
                    continue
                cell = sheet.cell(number, index)
                cell.value = value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    # Stored as a string, never as a formula, and kept as text when edited.
                    cell.data_type = "s"
                    cell.quotePrefix = True

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def open_workbook(workbook_layout: Layout, language: str, options: Options) -> Written:
    """The empty workbook in ``language`` (labels, lists and instructions), ready to fill."""
    language = workbook_language(language)
    with translation.override(interface_language(language)):
        return _Builder(workbook_layout, language, options).build()


class _Builder:
    def __init__(self, workbook_layout: Layout, language: str, options: Options) -> None:
        self.layout = workbook_layout
        self.language = language
        self.options = options
        self.workbook = Workbook()
        self.workbook.worksheets[0].title = layout.sheet_title(_("Instructions"))
        self.sheets = {
            sheet.name: self.workbook.create_sheet(layout.sheet_title(sheet.title()))
            for sheet in workbook_layout.sheets
        }
        self.lists = self.workbook.create_sheet(layout.sheet_title(_("Lists")))
        self.list_ranges: dict[str, str] = {}

    def build(self) -> Written:
        written = Written(self.workbook, self.language, self.sheets)
        self._metadata()
        for sheet in self.layout.sheets:
            if sheet.form:
                self._form(sheet, self.sheets[sheet.name])
            else:
                written.columns[sheet.name] = self._table(sheet, self.sheets[sheet.name])
        self._instructions(self.workbook.worksheets[0], written)
        self.lists.sheet_state = "hidden"
        for worksheet in self.workbook.worksheets:
            worksheet.sheet_view.rightToLeft = self.language == "ar"
        last_table = next(sheet for sheet in reversed(self.layout.sheets) if not sheet.form)
        self.workbook.active = self.workbook.index(self.sheets[last_table.name])
        return written

    # --- metadata and lists -------------------------------------------------------------------

    def _metadata(self) -> None:
        self.lists["A1"], self.lists["B1"], self.lists["C1"] = (
            self.layout.format,
            self.layout.version,
            self.language,
        )
        places = [
            (layout.FORMAT_CELL, self.lists, "$A$1"),
            (layout.VERSION_CELL, self.lists, "$B$1"),
            (layout.LANGUAGE_CELL, self.lists, "$C$1"),
            *((name, worksheet, "$A$1") for name, worksheet in self.sheets.items()),
        ]
        for name, worksheet, cell in places:
            self.workbook.defined_names[name] = DefinedName(
                name, attr_text=f"{quote_sheetname(worksheet.title)}!{cell}"
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
        elif item.is_listed:
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

    def _form(self, sheet: Sheet, worksheet: Worksheet) -> None:
        headings = (_("Field"), _("Code"), _("Your answer"), _("Help"))
        for column, text in enumerate(headings, start=1):
            cell = worksheet.cell(1, column, text)
            cell.font, cell.fill = HEADING, HEADING_FILL
        rows: list[tuple[FieldDefinition | None, str, str, str]] = [
            (item, _label(item, self.language), item.name, item.help(self.language)) for item in sheet.fields
        ]
        rows.append((None, _("Language of the texts"), sheet.language_column, language_column_help()))
        for row, (item, label, code, help_text) in enumerate(rows, start=2):
            worksheet.cell(row, 1, label).font = HEADING
            worksheet.cell(row, layout.FORM_CODE_COLUMN, code).font = CODE_FONT
            answer = worksheet.cell(row, layout.FORM_VALUE_COLUMN)
            answer.alignment = WRAP
            answer.number_format = _number_format(item)
            if item is not None and item.required:
                answer.fill = REQUIRED_FILL
            worksheet.cell(row, 4, help_text).alignment = WRAP
            validation = self._validation(item)
            if validation is not None:
                worksheet.add_data_validation(validation)
                validation.add(answer.coordinate)
        for letter, width in zip("ABCD", (34, 20, 60, 60), strict=True):
            worksheet.column_dimensions[letter].width = width
        worksheet.freeze_panes = "A2"

    def _table(self, sheet: Sheet, worksheet: Worksheet) -> list[Column]:
        columns = table_columns(sheet)
        extra = dict(sheet.extra)
        last_row = layout.FIRST_ROW + layout.PREFORMATTED_ROWS - 1
        for number, column in enumerate(columns, start=1):
            letter = get_column_letter(number)
            item = column.field
            label = extra[column.code]() if column.code in extra else heading(column, self.language)
            title = worksheet.cell(layout.LABEL_ROW, number, label)
            title.font, title.alignment = HEADING, WRAP
            required = item is not None and item.required and not column.language
            title.fill = REQUIRED_FILL if required else HEADING_FILL
            worksheet.cell(layout.CODE_ROW, number, column.code).font = CODE_FONT
            number_format = _number_format(item)
            for row in range(layout.FIRST_ROW, last_row + 1):
                cell = worksheet.cell(row, number)
                cell.number_format = number_format
                cell.alignment = WRAP
            worksheet.column_dimensions[letter].width = _width(item)
            if column.code in extra:
                continue
            validation = self._validation(item)
            if validation is not None:
                worksheet.add_data_validation(validation)
                validation.add(f"{letter}{layout.FIRST_ROW}:{letter}{VALIDATED_ROWS + layout.CODE_ROW}")
        worksheet.row_dimensions[layout.LABEL_ROW].height = 45
        worksheet.freeze_panes = worksheet.cell(layout.FIRST_ROW, 2).coordinate
        return columns

    def _instructions(self, worksheet: Worksheet, written: Written) -> None:
        introduction = list(self.layout.introduction(self.language))
        lines = [
            (self.layout.title(self.language), Font(bold=True, size=14)),
            (
                _("Format %(name)s, version %(version)s")
                % {"name": self.layout.format, "version": self.layout.version},
                None,
            ),
            ("", None),
            *((text, None) for text in introduction),
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
            cell = worksheet.cell(row, 1, text)
            cell.alignment = WRAP
            if font is not None:
                cell.font = font
        if introduction:
            worksheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=7)
            worksheet.row_dimensions[4].height = 75
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
        for column, text in enumerate(headings, start=1):
            cell = worksheet.cell(legend, column, text)
            cell.font, cell.fill = HEADING, HEADING_FILL
        row = legend + 1
        for item, place, title in self._legend(written):
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
                worksheet.cell(row, column, value).alignment = WRAP
            row += 1
        for letter, width in zip("ABCDEFG", (16, 10, 32, 20, 10, 40, 60), strict=True):
            worksheet.column_dimensions[letter].width = width

    def _legend(self, written: Written) -> list[tuple[FieldDefinition, str, str]]:
        rows: list[tuple[FieldDefinition, str, str]] = []
        for sheet in self.layout.sheets:
            title = self.sheets[sheet.name].title
            if sheet.form:
                rows += [
                    (item, f"{layout.FORM_VALUE_LETTER}{number}", title)
                    for number, item in enumerate(sheet.fields, start=2)
                ]
                continue
            seen: set[str] = set()
            for number, column in enumerate(written.columns[sheet.name], start=1):
                if column.field is not None and column.field.name not in seen:
                    seen.add(column.field.name)
                    rows.append((column.field, get_column_letter(number), title))
        return rows


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
    # Text format: Excel keeps what is typed (codes, "+1", leading zeros, dates as ISO) as typed.
    return TEXT_FORMAT


def _width(item: FieldDefinition | None) -> float:
    if item is None or item.type in {"integer", "year", "decimal", "currency", "boolean", "date", "datetime"}:
        return 14
    if item.type == "multilingual_long_text":
        return 50
    return 30
