"""Reading an exchange workbook back (see writer.py): every cell of its sheets handed over as a
``RawRecord`` with its sheet, row and column reference (the column letter and the heading the
person sees, in the uploader's language), for ``rows.clean_record`` to check. Nothing is saved
here.

The file is looked at before it is opened, as on upload (checks.py): an .xlsx workbook within
the size limit, unpacking to a reasonable size, without macros, its sheets no larger than the
import limits. Cells are read as they are stored, never calculated (openpyxl with
``data_only=False``): a formula is kept as the text of the formula. Sheets are found by their
defined names, columns by the codes row, so renamed sheets and moved columns still read.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from clearinghouse.exchange import budget, layout
from clearinghouse.exchange.checks import RefusedFileError, check_size, check_workbook
from clearinghouse.exchange.problems import Place, Problem, column_reference
from clearinghouse.exchange.rows import RawRecord
from clearinghouse.exchange.writer import Sheet, heading, table_columns, text_column


def sheet_rows(worksheet: Any) -> Iterator[tuple[Any, ...]]:
    """A sheet's rows of values, never read past the import limits (IMPORT_MAX_SHEET_ROWS and
    _COLUMNS) whatever the sheet declares, so a sheet that slipped past the upload's check still
    cannot be walked cell by cell to its far end; RefusedFileError if it holds more, or if its
    XML breaks while it is read (openpyxl reads lazily: a damaged part shows up only here)."""
    max_rows = int(settings.IMPORT_MAX_SHEET_ROWS)
    max_columns = int(settings.IMPORT_MAX_SHEET_COLUMNS)
    # The declared dimension (None without one); one row more than the limit tells a sheet that
    # goes on beyond it.
    declared_columns = worksheet.max_column
    rows = worksheet.iter_rows(
        max_row=min(worksheet.max_row or max_rows + 1, max_rows + 1),
        max_col=min(declared_columns, max_columns) if declared_columns else None,
        values_only=True,
    )
    try:
        for number, row in enumerate(rows, start=1):
            if number % budget.CHECK_EVERY == 0:
                budget.check()
            if number > max_rows or any(value is not None for value in row[max_columns:]):
                raise RefusedFileError(
                    # Translators: %(rows)s and %(columns)s are "more than 10,000 rows" and "more
                    # than 200 columns".
                    _("The sheet “%(sheet)s” holds %(rows)s or %(columns)s; it was not read.")
                    % {
                        "sheet": worksheet.title,
                        "rows": ngettext("more than %(count)s row", "more than %(count)s rows", max_rows)
                        % {"count": number_format(max_rows, force_grouping=True)},
                        "columns": ngettext(
                            "more than %(count)s column", "more than %(count)s columns", max_columns
                        )
                        % {"count": number_format(max_columns, force_grouping=True)},
                    }
                )
            yield tuple(row)
    except (RefusedFileError, budget.CPULimitExceededError):
        raise
    except Exception as error:  # whatever breaks inside a damaged sheet, the file is refused
        raise _damaged() from error


def _damaged() -> RefusedFileError:
    return RefusedFileError(
        _("This workbook is damaged and cannot be read. Open it, save it again as .xlsx and upload it.")
    )


def read_bytes(file: Any, max_bytes: int) -> bytes:
    """The file's content, refusing it once it passes the size limit (without reading on)."""
    data = file if isinstance(file, bytes) else file.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    return bytes(data)


def open_workbook(data: bytes) -> Workbook:
    """The workbook, checked as on upload (again here, for files read directly), read only and
    never calculated; RefusedFileError if it cannot be."""
    check_workbook(io.BytesIO(data))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # whatever breaks inside a damaged file, the file is refused
        raise _damaged() from error


def defined_cell(workbook: Workbook, name: str) -> tuple[str, str] | None:
    """The sheet title and cell a workbook-level defined name points to."""
    defined = workbook.defined_names.get(name)
    if defined is None:
        return None
    try:
        destinations = list(defined.destinations)
    except (AttributeError, TypeError):
        return None
    if not destinations:
        return None
    sheet, cell = destinations[0]
    return sheet.replace("''", "'"), cell.replace("$", "")


def defined_value(workbook: Workbook, name: str) -> str:
    place = defined_cell(workbook, name)
    if place is None or place[0] not in workbook.sheetnames:
        return ""
    try:
        value = workbook[place[0]][place[1]].value
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise _damaged() from error
    return str(value).strip() if value is not None else ""


class WorkbookReader:
    """Reads the sheets of one workbook. ``not_ours`` is the refusal for a workbook that is not
    the expected one (a sheet's defined name is missing); labels are in ``ui_language``."""

    def __init__(
        self,
        workbook: Workbook,
        ui_language: str,
        not_ours: Callable[[], RefusedFileError],
        problems: list[Problem],
    ) -> None:
        self.workbook = workbook
        self.ui_language = ui_language
        self.not_ours = not_ours
        self.problems = problems

    def _rows(self, sheet: Sheet) -> tuple[str, Iterator[tuple[Any, ...]]]:
        place = defined_cell(self.workbook, sheet.name)
        if place is None or place[0] not in self.workbook.sheetnames:
            raise self.not_ours()
        worksheet = self.workbook[place[0]]
        return worksheet.title, sheet_rows(worksheet)

    def form(self, sheet: Sheet) -> RawRecord:
        """A form sheet's one record: the answer in column C of each field's row."""
        title, rows = self._rows(sheet)
        fields = {item.name: item for item in sheet.fields}
        raw = RawRecord(Place(title, None))
        code_index, value_index = layout.FORM_CODE_COLUMN - 1, layout.FORM_VALUE_COLUMN - 1
        for number, row in enumerate(rows, start=1):
            if len(row) <= code_index or row[code_index] is None:
                continue
            code = str(row[code_index]).strip()
            value = row[value_index] if len(row) > value_index else None
            if code == sheet.language_column:
                raw.language = (column_reference(layout.FORM_VALUE_LETTER, _("Language of the texts")), value)
            elif code in fields:
                label = fields[code].label(self.ui_language)
                raw.cells[code] = (column_reference(layout.FORM_VALUE_LETTER, label), value)
            else:
                continue
            raw.rows[code] = number
        return raw

    def cells(self, sheet: Sheet) -> Iterator[tuple[Place, dict[str, Any], dict[str, str]]]:
        """A table's filled rows as they are: where each is, its cells by column code (the
        platform's columns included) and how a problem names each column. A field whose column
        is missing is reported against the codes row, and nothing is read."""
        title, rows = self._rows(sheet)
        expected = {column.code: column for column in table_columns(sheet)}
        columns: dict[int, str] = {}
        references: dict[str, str] = {}
        for number, row in enumerate(rows, start=1):
            if number == layout.CODE_ROW:
                for code in row:
                    other = text_column(sheet, str(code or "").strip())
                    if other is not None:
                        expected[other.code] = other
                columns = {
                    index: str(code).strip()
                    for index, code in enumerate(row)
                    if code is not None and str(code).strip() in expected
                }
                references = {
                    code: column_reference(
                        get_column_letter(index + 1), heading(expected[code], self.ui_language, star=False)
                    )
                    for index, code in columns.items()
                }
                found = {
                    column.field.name
                    for column in (expected[code] for code in columns.values())
                    if column.field is not None
                }
                missing = [item for item in sheet.fields if item.name not in found]
                for item in missing:
                    self.problems.append(
                        Problem(
                            title,
                            layout.CODE_ROW,
                            item.label(self.ui_language),
                            _("This column is missing: keep the two heading rows of the template unchanged."),
                        )
                    )
                if missing:
                    return
            if number < layout.FIRST_ROW:
                continue
            cells = {code: row[index] for index, code in columns.items() if index < len(row)}
            if any(value not in (None, "") for value in cells.values()):
                yield Place(title, number), cells, references

    def table(self, sheet: Sheet, max_rows: int, too_many: Callable[[int], str]) -> Iterator[RawRecord]:
        """A table's records, one per filled row (see ``cells``); more than ``max_rows`` records
        stop the reading. The platform's columns are not read."""
        expected = {column.code: column for column in table_columns(sheet)}
        count = 0
        for place, cells, references in self.cells(sheet):
            raw = RawRecord(place)
            for code, value in cells.items():
                column = expected.get(code) or text_column(sheet, code)
                if column is None:
                    continue
                if column.field is None and code == sheet.language_column:
                    raw.language = (references[code], value)
                elif column.field is not None and column.language:
                    # One column per language: the texts gathered as {language: text}.
                    _first, texts = raw.cells.setdefault(column.field.name, (references[code], {}))
                    if value not in (None, ""):
                        texts[column.language] = value
                elif column.field is not None:
                    raw.cells[code] = (references[code], value)
            if raw.blank:
                continue
            count += 1
            if count > max_rows:
                self.problems.append(Problem(place.sheet, place.row, "", too_many(max_rows)))
                return
            yield raw
