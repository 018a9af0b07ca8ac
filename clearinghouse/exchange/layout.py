"""Where things are in an exchange workbook: the contract between writer.py, which writes and
fills it, and reader.py, which reads it back.

Sheets are found through workbook-level defined names, not by their titles: the titles are in
the workbook's language and people rename sheets; Excel and LibreOffice keep the names pointing
at the right sheet. The hidden "Lists" sheet holds the format's name, version and the workbook's
language in its first row (defined names point there too), and the drop-down lists below.
"""

from __future__ import annotations

import re

FORMAT_CELL = "CH_FORMAT"
VERSION_CELL = "CH_VERSION"
LANGUAGE_CELL = "CH_LANGUAGE"

# A table sheet: headings (labels, * when required), then field codes, then one record per row.
LABEL_ROW = 1
CODE_ROW = 2
FIRST_ROW = 3
PREFORMATTED_ROWS = 500

# A form sheet (one record, such as the needs assessment): one field per row, from row 2; the
# answer goes in column C.
FORM_CODE_COLUMN = 2
FORM_VALUE_COLUMN = 3
FORM_VALUE_LETTER = "C"

# Lists: metadata in row 1, then one list per column: its key in row 2, entries from row 3.
LIST_KEY_ROW = 2
FIRST_LIST_ROW = 3

# The optional column (and form row) saying which language a row's texts are written in.
LANGUAGE_FIELD = "language"

_NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A translated title that Excel accepts as a sheet name (31 characters, no []:*?/\\)."""
    return _NOT_IN_SHEET_TITLES.sub(" ", text).strip()[:31] or "Sheet"
