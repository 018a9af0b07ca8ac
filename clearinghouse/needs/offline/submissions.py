"""Reading submissions of the needs XLSForm exported from ODK Central or KoboToolbox, and the
CSV and JSON exports of this site (export.py), with the same checks as the spreadsheet.

JSON: a list of submissions, Kobo's API answer (``{"results": [...]}``), an OData answer
(``{"value": [...]}``) with the repeat expanded, or one submission (our JSON export). Keys may
carry their group path (``assessment/title``, ``needs/title``) or be nested objects; the needs
are the entries of the ``needs`` repeat. CSV: one need per row (ODK Central's ``…-needs.csv``
repeat table, a Kobo export saved as CSV, or our CSV export); assessment columns, if any, carry
the ``assessment`` group in their name, and the first row holding them gives the assessment.

A file may hold several submissions, but one needs assessment: submissions that repeat the
same assessment give it once. Multiple choices are codes separated by spaces (ODK's way) or by
semicolons. Columns that are not fields of the format (metadata such as ``_id``, ``KEY``,
``SubmissionDate``) are ignored. ``format_version`` must be present: it tells the version of the
format the form was built from.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.exchange.cells import is_blank, split_codes, text_of
from clearinghouse.exchange.checks import RefusedFileError
from clearinghouse.exchange.layout import LANGUAGE_FIELD
from clearinghouse.exchange.lists import Options, interface_language, workbook_language
from clearinghouse.exchange.problems import Place, Problem, column_reference
from clearinghouse.exchange.reader import read_bytes
from clearinghouse.exchange.rows import RawRecord, Reading, clean_record
from clearinghouse.needs.formats import FormatDefinition, definition, versions
from clearinghouse.needs.offline.problems import ReadResult
from clearinghouse.needs.offline.reader import upload_limits

REPEAT = "needs"
GROUP = "assessment"
FORMAT_NAME = "format_name"
FORMAT_VERSION = "format_version"
HAS_ASSESSMENT = "has_assessment"
_KEY_SEPARATORS = re.compile(r"[/\-.:]")
_INDEX = re.compile(r"\[\d+\]$")


@dataclass(frozen=True)
class _Value:
    path: tuple[str, ...]
    reference: str  # how problems name it: the CSV column, or the key
    value: Any

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass
class _Submission:
    sheet: str
    top: list[_Value] = field(default_factory=list)
    top_row: int | None = None  # in a CSV file, the row the assessment was read from
    needs: list[tuple[int | None, list[_Value]]] = field(default_factory=list)


def _segments(key: str) -> tuple[str, ...]:
    return tuple(_INDEX.sub("", part) for part in _KEY_SEPARATORS.split(str(key)) if part)


def _is_texts(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(code in CONTENT_LANGUAGES for code in value)


def _flatten(
    data: dict[str, Any], prefix: tuple[str, ...], out: list[_Value], needs: list[list[_Value]]
) -> None:
    for key, value in data.items():
        segments = _segments(key)
        # Kobo repeats the group path inside the repeat ("needs/title" within "needs").
        path = segments if segments[: len(prefix)] == prefix else prefix + segments
        if not path:
            continue
        if path[-1] == REPEAT and isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    values: list[_Value] = []
                    _flatten(entry, path, values, needs)
                    needs.append(values)
        elif isinstance(value, dict) and not _is_texts(value) and "code" not in value:
            _flatten(value, path, out, needs)
        else:
            out.append(_Value(path, "/".join(path), value))


def _from_json(text: str) -> list[_Submission]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RefusedFileError(
            _("This JSON file is damaged (line %(line)d).") % {"line": error.lineno}
        ) from error
    except (ValueError, RecursionError) as error:
        # A number of thousands of digits (Python reads at most 4,300), or nesting past the stack.
        raise RefusedFileError(
            _("This JSON file holds a value too large to read; it was not read.")
        ) from error
    if isinstance(data, dict):
        data = data.get("results", data.get("value", [data]))
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise RefusedFileError(_("This JSON file holds no submissions of the needs form."))
    submissions = []
    for number, item in enumerate(data, start=1):
        submission = _Submission(_("Submission %(number)d") % {"number": number})
        needs: list[list[_Value]] = []
        _flatten(item, (), submission.top, needs)
        submission.needs = [(index, values) for index, values in enumerate(needs, start=1)]
        submissions.append(submission)
    return submissions


def _from_csv(text: str) -> list[_Submission]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": the csv module reads \r, \n and \r\n itself, also mixed in one file.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise RefusedFileError(
            ngettext(
                "This CSV file cannot be read after line %(line)d: a quote is not closed, or a value is "
                "longer than %(limit)d character. Export it again.",
                "This CSV file cannot be read after line %(line)d: a quote is not closed, or a value is "
                "longer than %(limit)d characters. Export it again.",
                csv.field_size_limit(),
            )
            % {"line": reader.line_num, "limit": csv.field_size_limit()}
        ) from error
    if len(rows) < 2:
        raise RefusedFileError(_("This CSV file has no rows below its headings."))
    headings = [(_segments(heading), get_column_letter(index + 1)) for index, heading in enumerate(rows[0])]
    counts = Counter(path for path, _letter in headings if path)
    repeated = sorted("/".join(path) for path, count in counts.items() if count > 1)
    if repeated:
        # Two columns for one question: which one holds the answer is anyone's guess.
        raise RefusedFileError(
            _("This CSV file has the same column twice: %(columns)s. Keep one and upload it again.")
            % {"columns": ", ".join(repeated)}
        )
    submission = _Submission(_("CSV file"))
    for number, row in enumerate(rows[1:], start=2):
        values = [
            _Value(path, letter, row[index])
            for index, (path, letter) in enumerate(headings)
            if path and index < len(row)
        ]
        assessment = [value for value in values if GROUP in value.path[:-1]]
        if not submission.top and any(not is_blank(value.value) for value in assessment):
            submission.top = [value for value in values if GROUP in value.path[:-1] or len(value.path) == 1]
            submission.top_row = number
        need = [value for value in values if GROUP not in value.path[:-1]]
        submission.needs.append((number, need))
    return [submission]


def _parse(data: bytes) -> list[_Submission]:
    not_export = RefusedFileError(_("This is not a CSV or JSON export of the needs form."))
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise not_export
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefusedFileError(_("This file is not in UTF-8: export it again as UTF-8.")) from error
    if text.lstrip().startswith(("{", "[")):
        return _from_json(text)
    if text.lstrip().startswith("<"):
        raise not_export
    return _from_csv(text)


def _format(submissions: list[_Submission]) -> FormatDefinition:
    found = {
        text_of(value.value)
        for submission in submissions
        for value in (*submission.top, *(item for _number, need in submission.needs for item in need))
        if value.name == FORMAT_VERSION and not is_blank(value.value)
    }
    names = {
        text_of(value.value)
        for submission in submissions
        for value in submission.top
        if value.name == FORMAT_NAME and not is_blank(value.value)
    }
    current = definition()
    if not found or names - {current.format}:
        raise RefusedFileError(
            _(
                "This file does not come from the needs form of this site (it has no format_version). "
                "Download the XLSForm, collect with it and export the submissions again."
            )
        )
    unknown = sorted(found - set(versions()))
    if unknown or len(found) > 1:
        raise RefusedFileError(
            _(
                "These submissions were made with version %(found)s of the format, which this site does "
                "not read. Collect with the current XLSForm (version %(current)s)."
            )
            % {"found": ", ".join(sorted(found)), "current": current.version}
        )
    return definition(found.pop())


def read_submissions(
    file: IO[bytes] | bytes,
    language: str,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Check an ODK/Kobo export (CSV or JSON) of the needs XLSForm; nothing is saved.
    ``progress`` is told the needs read and how many the file has."""
    default_bytes, default_rows = upload_limits()
    with translation.override(interface_language(language)):
        try:
            submissions = _parse(read_bytes(file, max_bytes or default_bytes))
            format_definition = _format(submissions)
        except RefusedFileError as refused:
            return ReadResult({}, [], [Problem("", None, "", str(refused))])
        reader = _SubmissionsReader(format_definition, workbook_language(language), max_rows or default_rows)
        return reader.read(submissions, progress or (lambda done, total: None))


class _SubmissionsReader:
    def __init__(self, format_definition: FormatDefinition, language: str, max_rows: int) -> None:
        self.format = format_definition
        self.language = language
        self.max_rows = max_rows
        self.options = Options(format_definition.fields)
        self.problems: list[Problem] = []

    def _raw(self, form_name: str, place: Place, values: list[_Value]) -> RawRecord:
        form = self.format.form(form_name)
        names = {item.name for item in form.fields}
        raw = RawRecord(place)
        for value in values:
            if value.name in names:
                label = form.field(value.name).label(self.language)
                raw.cells[value.name] = (column_reference(value.reference, label), value.value)
            elif value.name in {LANGUAGE_FIELD, "original_language"}:
                raw.language = (value.reference, value.value)
        return raw

    def read(self, submissions: list[_Submission], progress: Callable[[int, int], None]) -> ReadResult:
        result = ReadResult({}, [], self.problems)
        total = sum(len(submission.needs) for submission in submissions)
        read = count = 0
        for submission in submissions:
            reading = Reading(
                self.options,
                self._language(submission),
                self.language,
                stamp={"format_version": self.format.version},
            )
            self._assessment(submission, reading, result)
            for number, need in submission.needs:
                read += 1
                progress(read, total)
                raw = self._raw("need", Place(submission.sheet, number), need)
                if raw.blank:
                    continue
                count += 1
                if count > self.max_rows:
                    message = ngettext(
                        "More than %(limit)d need in one file: split it into several files.",
                        "More than %(limit)d needs in one file: split it into several files.",
                        self.max_rows,
                    ) % {"limit": self.max_rows}
                    self.problems.append(Problem(submission.sheet, number, "", message))
                    return result
                values = clean_record(self.format.form("need").fields, raw, reading, self.problems)
                if values is not None:
                    result.needs.append(values)
                    result.need_places.append(raw.place)
        return result

    def _language(self, submission: _Submission) -> str:
        """The language the submission's answers are in: its "language" question, else the
        uploader's."""
        for value in submission.top:
            if value.path == (LANGUAGE_FIELD,) and not is_blank(value.value):
                codes = split_codes(value.value)
                if codes and codes[0].casefold() in CONTENT_LANGUAGES:
                    return codes[0].casefold()
        return self.language

    def _assessment(self, submission: _Submission, reading: Reading, result: ReadResult) -> None:
        answers = {value.name: value.value for value in submission.top if len(value.path) == 1}
        if text_of(answers.get(HAS_ASSESSMENT)).casefold() == "no":
            return
        grouped = [value for value in submission.top if GROUP in value.path[:-1]]
        raw = self._raw("assessment", Place(submission.sheet, submission.top_row), grouped)
        if raw.blank:
            return
        top_language = [
            (value.reference, value.value) for value in submission.top if value.path == (LANGUAGE_FIELD,)
        ]
        raw.language = raw.language or (top_language[0] if top_language else None)
        values = clean_record(self.format.form("assessment").fields, raw, reading, self.problems)
        if values is None:
            return
        if result.assessment and result.assessment != values:
            self.problems.append(
                Problem(
                    submission.sheet,
                    None,
                    "",
                    _("A file takes one needs assessment; this one has several. Export them one at a time."),
                )
            )
            return
        result.assessment, result.assessment_place = values, raw.place
