"""Numbers read from a request's hidden fields and query parameters. A form the site wrote holds
plain digits; anything else was typed into the address or tampered with, and gets a clear 400
instead of the crash ``int()`` would give (a word, a fraction, a NUL byte, thousands of digits)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import gettext as _

# Revision numbers and ids fit a 64-bit column; a longer number is not one of ours.
_MAX_DIGITS = 18


def whole_number(data: QueryDict, name: str) -> int | None:
    """The whole number (0 or more, ASCII digits) ``data[name]`` holds; None when the field is
    absent or empty; BadRequest, said in the person's language, when it holds anything else."""
    raw = data.get(name, "")
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= _MAX_DIGITS):
        raise BadRequest(
            _("The page sent a value the site cannot read. Go back, reload the page and try again.")
        )
    return int(raw)
