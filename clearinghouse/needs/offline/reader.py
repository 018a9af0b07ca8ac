"""Reading a filled-in needs template back (``exchange.reader``): every cell checked, every
problem reported at once with its sheet, row and column, in the uploader's language. Nothing is
saved here.

Each row of the Needs sheet may say in its "language" column which language its texts are in;
left empty, the texts are taken to be in the workbook's language unless they are clearly in
another of the six (see exchange.rows.record_language). That is not an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.workbook.workbook import Workbook

from clearinghouse.exchange import layout
from clearinghouse.exchange.checks import RefusedFileError
from clearinghouse.exchange.lists import Options, interface_language, workbook_language
from clearinghouse.exchange.problems import Problem
from clearinghouse.exchange.reader import WorkbookReader, defined_value, open_workbook, read_bytes
from clearinghouse.exchange.rows import Reading, clean_record
from clearinghouse.needs.formats import FormatDefinition, definition, versions
from clearinghouse.needs.offline.problems import ReadResult
from clearinghouse.needs.offline.template import ASSESSMENT_SHEET, NEEDS_SHEET, needs_layout

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000


def upload_limits() -> tuple[int, int]:
    """The largest upload in bytes and the most needs in one file (settings
    NEEDS_UPLOAD_MAX_BYTES and NEEDS_UPLOAD_MAX_ROWS)."""
    return (
        int(getattr(settings, "NEEDS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)),
        int(getattr(settings, "NEEDS_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS)),
    )


def _not_template() -> RefusedFileError:
    return RefusedFileError(
        _(
            "This workbook is not the needs template of this site. Download the template, copy your "
            "rows into it and upload it again."
        )
    )


def _format_of(workbook: Workbook) -> FormatDefinition:
    name, version = (
        defined_value(workbook, layout.FORMAT_CELL),
        defined_value(workbook, layout.VERSION_CELL),
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


def _too_many(limit: int) -> str:
    return ngettext(
        "More than %(limit)d need in one file: split it into several files.",
        "More than %(limit)d needs in one file: split it into several files.",
        limit,
    ) % {"limit": limit}


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
            workbook = open_workbook(read_bytes(file, max_bytes or default_bytes))
        except RefusedFileError as refused:
            return ReadResult({}, [], [Problem("", None, "", str(refused))])
        try:
            return _read(workbook, workbook_language(language), max_rows or default_rows, progress)
        except RefusedFileError as refused:
            return ReadResult({}, [], [Problem("", None, "", str(refused))])
        finally:
            workbook.close()


def _read(
    workbook: Workbook, language: str, max_rows: int, progress: Callable[[int, int], None] | None
) -> ReadResult:
    format_definition = _format_of(workbook)
    workbook_layout = needs_layout(format_definition)
    declared = defined_value(workbook, layout.LANGUAGE_CELL)
    reading = Reading(
        options=Options(format_definition.fields),
        default_language=workbook_language(declared or language),
        ui_language=language,
        stamp={"format_version": format_definition.version},
    )
    result = ReadResult({}, [], [])
    reader = WorkbookReader(workbook, language, _not_template, result.problems)
    assessment = reader.form(workbook_layout.sheet(ASSESSMENT_SHEET))
    if not assessment.blank:
        values = clean_record(
            format_definition.form("assessment").fields, assessment, reading, result.problems
        )
        result.assessment, result.assessment_place = values or {}, assessment.place
    need_fields = format_definition.form("need").fields
    for raw in reader.table(workbook_layout.sheet(NEEDS_SHEET), max_rows, _too_many):
        values = clean_record(need_fields, raw, reading, result.problems)
        if values is not None:
            result.needs.append(values)
            result.need_places.append(raw.place)
        if progress is not None and raw.place.row is not None:
            progress(raw.place.row, 0)
    return result
