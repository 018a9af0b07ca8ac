"""What is checked in the web request, before a file is stored and long before it is parsed:
its size, its type (sniffed from the content, not the name), and for a workbook what its zip
declares (entry sizes, compression ratio, macros, every sheet's dimension). openpyxl walks a
sheet's declared dimension cell by cell, so one value in cell XFD1048576 of a 48 KB file would
mean 17 billion cells: that workbook is refused here, from the few bytes at the head of the
sheet's XML. CSV and JSON are bounded in size, JSON also in depth.

The limits are settings (IMPORT_*); each kind of import brings its own largest file size.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils.cell import get_column_letter, range_boundaries

# openpyxl's parser: defusedxml's (no entity expansion) when installed, as it is here.
from openpyxl.xml.functions import fromstring

XLSX, CSV, JSON = "xlsx", "csv", "json"
# Text in another encoding: refused with its own message where CSV is read.
_NOT_UTF8 = "not-utf-8"
_SNIFF_BYTES = 4096
# The head of a sheet's XML, where <dimension> sits before the rows.
_HEAD_BYTES = 64 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z0-9:$]+)\"")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]+)\d+\"")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Only entries at least this large are held to the compression ratio: small XML parts
# (styles, empty sheets) compress far better than data and mean nothing.
_RATIO_FLOOR = 1024 * 1024


class RefusedFileError(ValueError):
    """The file is refused as a whole; the message says why, in the uploader's language."""


@dataclass(frozen=True)
class Inspection:
    """The file's format and how many rows its largest sheet (or the file) has."""

    format: str
    rows: int


def _limit(name: str) -> int:
    return int(getattr(settings, name))


def check_size(size: int, max_bytes: int) -> None:
    """Refuse an empty file, or one over ``max_bytes``."""
    if size > max_bytes:
        raise RefusedFileError(
            _("The file is larger than %(limit)s MB: split it into several files.")
            % {"limit": f"{max_bytes / 1024 / 1024:g}"}
        )
    if size == 0:
        raise RefusedFileError(_("The file is empty."))


def inspect(file: IO[bytes], size: int, formats: Iterable[str], max_bytes: int) -> Inspection:
    """Check an upload of ``size`` bytes before it is stored; RefusedFileError if it fails."""
    check_size(size, max_bytes)
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    found = _sniff(head)
    allowed = set(formats)
    if found == _NOT_UTF8 and CSV in allowed:
        raise RefusedFileError(_("This file is not in UTF-8: export it again as UTF-8."))
    if found not in allowed:
        if allowed == {XLSX}:
            raise RefusedFileError(
                _("This is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and upload it again.")
            )
        raise RefusedFileError(
            _("This file is not in a format this import reads: %(formats)s.")
            % {"formats": ", ".join(sorted(name.upper() for name in allowed))}
        )
    if found == XLSX:
        return Inspection(XLSX, check_workbook(file))
    content = file.read()
    file.seek(0)
    if found == JSON:
        _check_json_depth(content)
        return Inspection(JSON, 0)
    return Inspection(CSV, max(content.count(b"\n") - 1, 0))


def _sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if b"\x00" in head:
        return ""
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if text.startswith((b"[", b"{")):
        return JSON
    if text.startswith(b"<"):
        return ""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may cut a character in two: only a wrong byte before its last three counts.
        if error.start < len(head) - 3:
            return _NOT_UTF8
    return CSV


def check_workbook(file: IO[bytes]) -> int:
    """Check an .xlsx package without parsing its sheets; the rows of its largest sheet."""
    not_xlsx = RefusedFileError(
        _("This is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and upload it again.")
    )
    try:
        with zipfile.ZipFile(file) as package:
            entries = {info.filename: info for info in package.infolist()}
            if "xl/vbaProject.bin" in entries or b"macroEnabled" in _small(package, "[Content_Types].xml"):
                raise RefusedFileError(
                    _(
                        "Workbooks with macros (.xlsm) are refused. Save it as an .xlsx workbook without "
                        "macros and upload it again."
                    )
                )
            if "xl/workbook.xml" not in entries:
                raise not_xlsx
            _check_sizes(entries.values())
            return max((_check_sheet(package, path, title) for path, title in _sheets(package)), default=0)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError) as error:
        raise not_xlsx from error
    finally:
        file.seek(0)


def _small(package: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = package.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > _RATIO_FLOOR:
        raise _damaged()
    return package.read(name)


def _damaged() -> RefusedFileError:
    return RefusedFileError(
        _("This workbook is damaged and cannot be read. Open it, save it again as .xlsx and upload it.")
    )


def _check_sizes(entries: Iterable[zipfile.ZipInfo]) -> None:
    too_big = RefusedFileError(
        _("This workbook unpacks to far more data than an import reads; it was not read.")
    )
    ratio = _limit("IMPORT_MAX_COMPRESSION_RATIO")
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            raise too_big
    if total > _limit("IMPORT_MAX_UNPACKED_BYTES"):
        raise too_big


def _sheets(package: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Each worksheet's path in the package and its title, in the workbook's order."""
    try:
        workbook = fromstring(_small(package, "xl/workbook.xml"))
        relations = fromstring(_small(package, "xl/_rels/workbook.xml.rels"))
    except (ParseError, ValueError) as error:
        raise _damaged() from error
    targets = {
        relation.get("Id"): relation.get("Target", "")
        for relation in relations.iter(_RELATIONSHIPS)
        if relation.get("Type", "").endswith("/worksheet")
    }
    sheets = []
    for sheet in workbook.iter(_SHEET):
        target = targets.get(sheet.get(_RELATION_ID))
        if target:
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            sheets.append((path, sheet.get("name", "")))
    return sheets


def _check_sheet(package: zipfile.ZipFile, path: str, title: str) -> int:
    """The sheet's declared dimension (or, without one, its last row and column) within the limits."""
    with package.open(path) as stream:
        head = stream.read(_HEAD_BYTES)
        declared = _DIMENSION.search(head)
        if declared:
            try:
                _min_col, _min_row, columns, rows = range_boundaries(
                    declared.group(1).decode().replace("$", "")
                )
            except (ValueError, TypeError) as error:
                raise _damaged() from error
            columns, rows = columns or 1, rows or 1
        else:
            rows, columns = _scan(head, stream)
    max_rows, max_columns = _limit("IMPORT_MAX_SHEET_ROWS"), _limit("IMPORT_MAX_SHEET_COLUMNS")
    if rows > max_rows or columns > max_columns or rows * columns > _limit("IMPORT_MAX_SHEET_CELLS"):
        raise RefusedFileError(
            # Translators: %(rows)s and %(columns)s are "at most 10,000 rows" and "at most 200 columns".
            _(
                "The sheet “%(sheet)s” reaches cell %(cell)s, beyond what an import reads (%(rows)s, "
                "%(columns)s). Delete the rows and columns after your data and upload it again."
            )
            % {
                "sheet": title,
                "cell": f"{get_column_letter(min(columns, 18278))}{rows}",
                "rows": ngettext("at most %(count)s row", "at most %(count)s rows", max_rows)
                % {"count": number_format(max_rows, force_grouping=True)},
                "columns": ngettext("at most %(count)s column", "at most %(count)s columns", max_columns)
                % {"count": number_format(max_columns, force_grouping=True)},
            }
        )
    return rows


def _scan(head: bytes, stream: IO[bytes]) -> tuple[int, int]:
    """The last row and column a sheet without a dimension uses, read from its cell references
    (the package's unpacked size is already bounded)."""
    rows = columns = 0
    chunk, tail = head, b""
    while chunk:
        text = tail + chunk
        rows = max([rows, *(int(number) for number in _ROW.findall(text))])
        columns = max([columns, *(_column_number(letters) for letters in _CELL.findall(text))])
        # A reference cut at the chunk's end is read again with the next chunk.
        tail = text[-256:]
        chunk = stream.read(_HEAD_BYTES)
    return rows, columns


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_json_depth(content: bytes) -> None:
    limit = _limit("IMPORT_MAX_JSON_DEPTH")
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", content)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > limit:
            raise RefusedFileError(
                ngettext(
                    "This JSON file is nested more than %(depth)d level deep; it was not read.",
                    "This JSON file is nested more than %(depth)d levels deep; it was not read.",
                    limit,
                )
                % {"depth": limit}
            )
