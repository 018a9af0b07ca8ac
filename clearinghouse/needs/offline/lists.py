"""The coded values a field of the format accepts, with their labels in the six languages: the
format's own choice lists, vocabulary terms (from the database, so that the Secretariat's edits
count), ISO 4217 currencies and ISO 639-1 languages (both named by CLDR, through Babel, as in
the web forms). The template's drop-downs, the XLSForm's choice lists, the readers and the
exports all take their codes from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import list_currencies

from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language, pick_label
from clearinghouse.needs.formats import FieldDefinition, FormatDefinition
from clearinghouse.vocabularies.models import Term

# How a code and its label are written together in a cell: "GBF-T1 — Reduce threats ...".
SEPARATOR = " — "


@dataclass(frozen=True)
class Option:
    code: str
    labels: Mapping[str, str]
    active: bool = True
    term: Term | None = None

    def label(self, language: str) -> str:
        return pick_label(self.labels, language) or self.code

    def entry(self, language: str) -> str:
        """The code with its label, as the drop-down lists show it. A semicolon separates the
        values of a multiple choice, so none is left inside a label."""
        return f"{self.code}{SEPARATOR}{self.label(language).replace(';', ',')}"


@cache
def _currency_options() -> tuple[Option, ...]:
    locales = {language: Locale.parse(language) for language in CONTENT_LANGUAGES}
    return tuple(
        Option(code, {language: locale.currencies.get(code, code) for language, locale in locales.items()})
        for code in sorted(list_currencies())
    )


@cache
def _language_options() -> tuple[Option, ...]:
    locales = {language: Locale.parse(language) for language in CONTENT_LANGUAGES}
    codes = sorted(str(code) for code in locales["en"].languages if len(str(code)) == 2)
    return tuple(
        Option(code, {language: locale.languages.get(code, code) for language, locale in locales.items()})
        for code in codes
    )


CONTENT_LANGUAGE_OPTIONS = tuple(
    Option(
        code, {language: Locale.parse(language).languages.get(code, code) for language in CONTENT_LANGUAGES}
    )
    for code in CONTENT_LANGUAGES
)


class Options:
    """Every option of every coded field of a format, read from the database once."""

    def __init__(self, format_definition: FormatDefinition) -> None:
        names = {field.vocabulary for form in format_definition for field in form.fields if field.vocabulary}
        terms: dict[str, list[Term]] = defaultdict(list)
        for term in Term.objects.filter(vocabulary__name__in=names).select_related("vocabulary"):
            terms[term.vocabulary.name].append(term)
        self._terms = terms
        self._lookups: dict[str, dict[str, Option]] = {}

    def of(self, field: FieldDefinition, *, active_only: bool = False) -> tuple[Option, ...]:
        """The options of a field, in display order; inactive terms only when asked for (the
        readers name them in their messages, the lists offer only the active ones)."""
        if field.vocabulary:
            terms = sorted(self._terms[field.vocabulary], key=lambda term: (term.position, term.code))
            return tuple(
                Option(term.code, term.labels, term.is_active, term)
                for term in terms
                if term.code.startswith(field.only) and (term.is_active or not active_only)
            )
        if field.choices:
            return tuple(Option(choice.value, choice.labels) for choice in field.choices)
        if field.type == "currency":
            return _currency_options()
        if field.type == "language_list":
            return _language_options()
        return ()

    def lookup(self, field: FieldDefinition) -> dict[str, Option]:
        """Options by code, case-insensitively."""
        key = f"{field.vocabulary}:{field.only}:{field.type}:{field.name}"
        if key not in self._lookups:
            self._lookups[key] = {option.code.casefold(): option for option in self.of(field)}
        return self._lookups[key]


def workbook_language(language: str) -> str:
    """The content language (ar, zh, en, fr, ru, es) for a content or interface code (zh-hans)."""
    code = content_language(language)
    return code if code in CONTENT_LANGUAGES else "en"


def interface_language(language: str) -> str:
    """The interface language whose catalogue has the messages for a content language."""
    return {"zh": "zh-hans"}.get(workbook_language(language), workbook_language(language))
