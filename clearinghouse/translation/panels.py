"""The part of every record's page that translation gives: the "Unofficial translation" mark
beside texts published from a translation request, and the way to ask for a translation."""

from __future__ import annotations

from typing import Any

from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language, language_name
from clearinghouse.publishing import origins
from clearinghouse.translation import items
from clearinghouse.translation.models import OPEN_STATES, Kind, TranslationRequest, UnofficialTranslation


def panel(request: Any, record: Any) -> dict[str, Any] | None:
    """Two queries for a signed-in reader (the marks, the open requests), one for the public."""
    if not getattr(record, "live", False) or origins.origin(record) is not None:
        # A record kept by another clearing-house is translated at its source.
        return None
    names = dict(LANGUAGE_CHOICES)
    reading = content_language()
    marks = list(UnofficialTranslation.objects.filter(identifier=record.identifier))
    marked = [mark.language for mark in marks if mark.kind == Kind.TEXTS]
    files = [names[mark.language] for mark in marks if mark.kind == Kind.FILE and mark.language in names]
    signed_in = bool(getattr(getattr(request, "user", None), "is_authenticated", False))
    context: dict[str, Any] = {
        "unofficial": reading in marked,
        "reading_language": names.get(reading, reading),
        "original_language": language_name(record.original_language),
        "marked": [names[code] for code in marked if code in names],
        "files": files,
        "has_files": record.RECORD_TYPE == "RES",
        "signed_in": signed_in,
    }
    if signed_in:
        present = set(items.languages_present(record))
        context["open_requests"] = list(
            TranslationRequest.objects.filter(identifier=record.identifier, state__in=OPEN_STATES)
        )
        context["missing"] = [(code, name) for code, name in LANGUAGE_CHOICES if code not in present]
    if not context["marked"] and not files and not signed_in:
        return None
    return context
