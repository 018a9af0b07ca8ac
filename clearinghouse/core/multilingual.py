"""Showing multilingual text: the reader's language when a translation exists, else the
original, marked as such."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from clearinghouse.core.languages import content_language, language_name

# Languages written right to left (in their usual script): any code a text may be stored under.
RTL_LANGUAGES = frozenset(
    {
        "ar",
        "fa",
        "he",
        "ur",
        "ps",
        "sd",
        "ug",
        "yi",
        "dv",
        "ckb",
        "syr",
        "prs",
        "pnb",
        "arz",
        "ary",
        "apc",
        "acm",
    }
)


@dataclass(frozen=True)
class Shown:
    text: str
    language: str
    # True when the reader's language was missing and the original is shown instead.
    is_fallback: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def language_name(self) -> str:
        """The language's name in the reader's language (CLDR, else ISO 639-3's)."""
        return language_name(self.language)


def show(texts: Mapping[str, str], original: str, language: str | None = None) -> Shown:
    """Pick what to show of ``texts`` ({language: text}) for a reader of ``language``."""
    wanted = content_language(language)
    if texts.get(wanted):
        return Shown(texts[wanted], wanted, is_fallback=False)
    if texts.get(original):
        return Shown(texts[original], original, is_fallback=wanted != original)
    for code, text in texts.items():
        if text:
            return Shown(text, code, is_fallback=True)
    return Shown("", original, is_fallback=False)
