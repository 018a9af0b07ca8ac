"""Helpers for the API's filter sets (django-filter)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy


def or_any(choices: Sequence[tuple[str, Any]], label: Any = None) -> list[tuple[str, Any]]:
    """The choices and an empty value for "any" (``label``, "any" by default): forms (the
    browsable API's too) send empty fields, so the empty value is accepted, and documented, as
    no filter."""
    return [("", gettext_lazy("any") if label is None else label), *choices]
