"""What the readers report: every problem of a file at once, located by sheet, row and column,
in the language of the person who uploaded it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing to fix. ``row`` is None and ``column`` empty for the file as a whole;
    ``column`` is the column letter (or field code) with the heading the person sees."""

    sheet: str
    row: int | None
    column: str
    message: str


def column_reference(letter: str, label: str) -> str:
    """How a problem names a column: its letter, then the heading the person sees."""
    return _("%(letter)s (%(label)s)") % {"letter": letter, "label": label}


@dataclass(frozen=True)
class Place:
    """Where a record's values were read: a sheet (or file part) and a row."""

    sheet: str
    row: int | None
