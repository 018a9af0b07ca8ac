"""Content languages: the six UN languages as ISO 639-1 codes.

The interface uses Django's language codes (``zh-hans``); stored content and the API use the
plain ISO codes (``zh``). Labels of reference data are kept as ``{code: text}`` mappings.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
_UI_TO_CONTENT = {"zh-hans": "zh"}


def content_language(ui_language: str | None = None) -> str:
    """The content language for an interface language (the active one by default)."""
    code = (ui_language or get_language() or "en").lower()
    code = _UI_TO_CONTENT.get(code, code)
    return code if code in CONTENT_LANGUAGES else code.split("-")[0]


def pick_label(labels: Mapping[str, str], language: str | None = None) -> str:
    """The label in the reader's language, else English, else any label there is."""
    wanted = content_language(language)
    for code in (wanted, "en", *CONTENT_LANGUAGES):
        if labels.get(code):
            return labels[code]
    return ""
