"""The coded values a field accepts, with their labels in the six languages: the field's own
choice lists, vocabulary terms (from the database, so that the Secretariat's edits count), ISO
4217 currencies and ISO 639-1 languages (both named by CLDR, through Babel, as in the web
forms), countries and groups of countries, and the references a record type supplies
(organisations by code, records by identifier). The workbook's drop-downs, the XLSForm's choice
lists, the readers and the exports all take their codes from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import list_currencies
from django.utils import translation
from django.utils.translation import gettext_lazy

from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language, pick_label
from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.geo.models import Country, CountryGroup, RegionalGroup
from clearinghouse.vocabularies.models import Term

# How a code and its label are written together in a cell: "GBF-T1 — Reduce threats ...".
SEPARATOR = " — "


@dataclass(frozen=True)
class Option:
    code: str
    labels: Mapping[str, str]
    active: bool = True
    # What the record stores for this code (a term, an organisation, a record); None: the code.
    value: Any = None

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


def _country_options() -> tuple[Option, ...]:
    """Parties by ISO code, then "global", the UN regional groups and the groups of countries
    (the labels ``Country.is_eligible_under`` understands)."""
    countries = tuple(Option(country.code, country.names) for country in Country.objects.order_by("code"))
    groups = (
        Option("global", in_every_language(gettext_lazy("Every country"))),
        *(Option(str(group.value), in_every_language(group.label)) for group in RegionalGroup),
        *(Option(str(group.value), in_every_language(group.label)) for group in CountryGroup),
    )
    return countries + groups


def in_every_language(label: Any) -> dict[str, str]:
    """A (lazy) label from the catalogues, in each of the six languages."""
    labels = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(interface_language(language)):
            labels[language] = str(label)
    return labels


class Options:
    """Every option of every coded field of a table, read from the database once.
    ``references`` gives the options of organisation and record fields, by field name."""

    def __init__(
        self,
        fields: Iterable[FieldDefinition],
        references: Mapping[str, Sequence[Option]] | None = None,
    ) -> None:
        fields = tuple(fields)
        names = {field.vocabulary for field in fields if field.vocabulary}
        terms: dict[str, list[Term]] = defaultdict(list)
        for term in Term.objects.filter(vocabulary__name__in=names).select_related("vocabulary"):
            terms[term.vocabulary.name].append(term)
        self._terms = terms
        self._references = dict(references or {})
        self._countries = _country_options() if any(field.type == "country_list" for field in fields) else ()
        self._lookups: dict[str, dict[str, Option]] = {}

    def of(self, field: FieldDefinition, *, active_only: bool = False) -> tuple[Option, ...]:
        """The options of a field, in display order; inactive terms only when asked for (the
        readers name them in their messages, the lists offer only the active ones)."""
        if field.vocabulary:
            terms = sorted(self._terms[field.vocabulary], key=lambda term: (term.position, term.code))
            return tuple(
                Option(term.code, term.labels, term.is_active, value=term)
                for term in terms
                if term.code.startswith(field.only) and (term.is_active or not active_only)
            )
        if field.choices:
            return tuple(Option(choice.value, choice.labels) for choice in field.choices)
        if field.type == "currency":
            return _currency_options()
        if field.type == "language_list":
            return _language_options()
        if field.type == "country_list":
            return self._countries
        return tuple(self._references.get(field.name, ()))

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
