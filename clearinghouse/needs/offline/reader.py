"""Reading a filled-in template back: every cell checked, every problem reported at once with
its sheet, row and column, in the uploader's language. Nothing is saved here.

The file is looked at before it is opened, as on upload (exchange.checks): an .xlsx workbook
within the size limit, unpacking to a reasonable size, without macros, its sheets no larger than
the import limits.
Cells are read as they are stored, never calculated (openpyxl with ``data_only=False``): a
formula is kept as the text of the formula.

Each row of the Needs sheet may say in its "language" column which language its texts are in;
left empty, the texts are taken to be in the workbook's language unless they are clearly in
another of the six (see records.record_language). That is not an error.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from clearinghouse.exchange.checks import RefusedFileError, check_size, check_workbook
from clearinghouse.needs.formats import FormatDefinition, definition, versions
from clearinghouse.needs.offline import layout
from clearinghouse.needs.offline.lists import Options, interface_language, workbook_language
from clearinghouse.needs.offline.problems import Place, Problem, ReadResult, column_reference
from clearinghouse.needs.offline.records import RawRecord, Reading, clean_record

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000


def upload_limits() -> tuple[int, int]:
    """The largest upload in bytes and the most needs in one file (settings
    NEEDS_UPLOAD_MAX_BYTES and NEEDS_UPLOAD_MAX_ROWS)."""
    return (
        int(getattr(settings, "NEEDS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)),
        int(getattr(settings, "NEEDS_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS)),
    )


def read_bytes(file: IO[bytes] | bytes, max_bytes: int) -> bytes:
    """The file's content, refusing it once it passes the size limit (without reading on)."""
    data = file if isinstance(file, bytes) else file.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    return data


def _open(data: bytes) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # whatever breaks inside a damaged file, the file is refused
        raise RefusedFileError(
            _("This workbook is damaged and cannot be read. Open it, save it again as .xlsx and upload it.")
        ) from error


def _defined_cell(workbook: Workbook, name: str) -> tuple[str, str] | None:
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


def _defined_value(workbook: Workbook, name: str) -> str:
    place = _defined_cell(workbook, name)
    if place is None or place[0] not in workbook.sheetnames:
        return ""
    value = workbook[place[0]][place[1]].value
    return str(value).strip() if value is not None else ""


def _not_template() -> RefusedFileError:
    return RefusedFileError(
        _(
            "This workbook is not the needs template of this site. Download the template, copy your "
            "rows into it and upload it again."
        )
    )


def _format_of(workbook: Workbook) -> FormatDefinition:
    name, version = (
        _defined_value(workbook, layout.FORMAT_CELL),
        _defined_value(workbook, layout.VERSION_CELL),
    )
    current = definition()
    if name != current.format:
        raise _not_template()
    if version not in versions():
        raise RefusedFileError(
            _(
                "This workbook was made for version %(found)s of the format, which this site does not "
                "read. Download the current template (version %(current)s) and copy your rows into it."
            )
            % {"found": version or "?", "current": current.version}
        )
    return definition(version)


@dataclass(frozen=True)
class _Sheet:
    title: str
    rows: Iterator[tuple[Any, ...]]


def _sheet(workbook: Workbook, name: str) -> _Sheet:
    place = _defined_cell(workbook, name)
    if place is None or place[0] not in workbook.sheetnames:
        raise _not_template()
    sheet = workbook[place[0]]
    return _Sheet(sheet.title, sheet.iter_rows(values_only=True))


def read_workbook(
    file: IO[bytes] | bytes,
    language: str,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Check a filled-in template from top to bottom; problems in ``language`` (the uploader's).
    ``max_bytes`` and ``max_rows`` default to the settings (see upload_limits). ``progress`` is
    told the sheet row reached as each need is read (the total is not known: 0)."""
    default_bytes, default_rows = upload_limits()
    with translation.override(interface_language(language)):
        try:
            data = read_bytes(file, max_bytes or default_bytes)
            # Checked before the upload was stored; again here, for files read directly.
            check_workbook(io.BytesIO(data))
            workbook = _open(data)
        except RefusedFileError as refused:
            return ReadResult({}, [], [Problem("", None, "", str(refused))])
        try:
            reader = _WorkbookReader(workbook, workbook_language(language), max_rows or default_rows)
            return reader.read(progress or _ignore)
        except RefusedFileError as refused:
            return ReadResult({}, [], [Problem("", None, "", str(refused))])
        finally:
            workbook.close()


def _ignore(done: int, total: int) -> None:
    """No one follows this reading."""


class _WorkbookReader:
    def __init__(self, workbook: Workbook, language: str, max_rows: int) -> None:
        self.workbook = workbook
        self.language = language
        self.max_rows = max_rows
        self.problems: list[Problem] = []

    def read(self, progress: Callable[[int, int], None]) -> ReadResult:
        format_definition = _format_of(self.workbook)
        declared = _defined_value(self.workbook, layout.LANGUAGE_CELL)
        reading = Reading(
            options=Options(format_definition),
            default_language=workbook_language(declared or self.language),
            format_version=format_definition.version,
            ui_language=self.language,
        )
        result = ReadResult({}, [], self.problems)
        assessment = self._assessment(format_definition, reading)
        if assessment is not None and not assessment.blank:
            values = clean_record(format_definition.form("assessment"), assessment, reading, self.problems)
            result.assessment, result.assessment_place = values or {}, assessment.place
        for raw in self._needs(format_definition, reading):
            values = clean_record(format_definition.form("need"), raw, reading, self.problems)
            if values is not None:
                result.needs.append(values)
                result.need_places.append(raw.place)
            if raw.place.row is not None:
                progress(raw.place.row, 0)
        return result

    def _assessment(self, format_definition: FormatDefinition, reading: Reading) -> RawRecord | None:
        sheet = _sheet(self.workbook, layout.ASSESSMENT_SHEET)
        form = format_definition.form("assessment")
        names = {item.name for item in form.fields}
        raw = RawRecord(Place(sheet.title, None))
        code_index, value_index = layout.ASSESSMENT_CODE_COLUMN - 1, layout.ASSESSMENT_VALUE_COLUMN - 1
        for number, row in enumerate(sheet.rows, start=1):
            if len(row) <= code_index or row[code_index] is None:
                continue
            code = str(row[code_index]).strip()
            value = row[value_index] if len(row) > value_index else None
            if code == layout.LANGUAGE_FIELD:
                raw.language = (
                    column_reference(layout.ASSESSMENT_VALUE_LETTER, _("Language of the texts")),
                    value,
                )
            elif code in names:
                label = form.field(code).label(reading.ui_language)
                raw.cells[code] = (column_reference(layout.ASSESSMENT_VALUE_LETTER, label), value)
            else:
                continue
            raw.rows[code] = number
        return raw

    def _needs(self, format_definition: FormatDefinition, reading: Reading) -> Iterator[RawRecord]:
        sheet = _sheet(self.workbook, layout.NEEDS_SHEET)
        form = format_definition.form("need")
        names = {item.name for item in form.fields}
        columns: dict[int, str] = {}
        count = 0
        for number, row in enumerate(sheet.rows, start=1):
            if number == layout.CODE_ROW:
                columns = {
                    index: str(code).strip()
                    for index, code in enumerate(row)
                    if code is not None
                    and (str(code).strip() in names or str(code).strip() == layout.LANGUAGE_FIELD)
                }
                missing = [item for item in form.fields if item.name not in columns.values()]
                for item in missing:
                    self.problems.append(
                        Problem(
                            sheet.title,
                            layout.CODE_ROW,
                            item.label(reading.ui_language),
                            _("This column is missing: keep the two heading rows of the template unchanged."),
                        )
                    )
                if missing:
                    return
            if number < layout.FIRST_ROW:
                continue
            raw = RawRecord(Place(sheet.title, number))
            for index, code in columns.items():
                value = row[index] if index < len(row) else None
                letter = get_column_letter(index + 1)
                if code == layout.LANGUAGE_FIELD:
                    raw.language = (column_reference(letter, _("Language of the texts")), value)
                else:
                    raw.cells[code] = (
                        column_reference(letter, form.field(code).label(reading.ui_language)),
                        value,
                    )
            if raw.blank:
                continue
            count += 1
            if count > self.max_rows:
                self.problems.append(
                    Problem(
                        sheet.title,
                        number,
                        "",
                        _("More than %(limit)d needs in one file: split it into several files.")
                        % {"limit": self.max_rows},
                    )
                )
                return
            yield raw
