"""Display labels of facet values, which are codes, in the reader's language.

``LABELS`` maps a facet to a function from (codes, language) to {code: label}; each looks its
codes up in one query. A code without a label shows as itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import language_names
from clearinghouse.geo.models import Country, CountryGroup, Region
from clearinghouse.publishing import registry
from clearinghouse.vocabularies.models import Term

Labeller = Callable[[Collection[str], str], dict[str, str]]

FACET_TITLES: dict[str, str | Promise] = {
    "record_type": _("Type of record"),
    "party": _("Country"),
    "region": _("Region"),
    "group": _("Group of countries"),
    "target": _("Global Biodiversity Framework target"),
    "subject": _("Subject"),
    "support_type": _("Type of support"),
    "language": _("Language"),
    "status": _("Status"),
}


class _FromRegistry(Mapping[str, "str | Promise"]):
    """Labels read from the registered record types when first asked for (the apps register
    their types when Django starts, after this module is imported)."""

    def __init__(self, read: Callable[[], dict[str, str | Promise]]) -> None:
        self._read = read

    def _labels(self) -> dict[str, str | Promise]:
        return self._read()

    def __getitem__(self, code: str) -> str | Promise:
        return self._labels()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


# Searched beside the registered record types: organisations (search.organisations) and the
# action plan's activities (plan.search).
OTHER_TYPES: dict[str, str | Promise] = {
    "organisation": _("Organisation"),
    "activity": _("Action plan activity"),
}


def _record_types() -> dict[str, str | Promise]:
    registered = {
        record_type.name: capfirst(str(record_type.label)) for record_type in registry.record_types()
    }
    return registered | OTHER_TYPES


def _statuses() -> dict[str, str | Promise]:
    """Every status a registered record type can have, and "stale" (not confirmed for two years)."""
    statuses: dict[str, str | Promise] = {"stale": _("Not confirmed for two years")}
    for record_type in registry.record_types():
        field = next((field for field in record_type.model._meta.fields if field.name == "status"), None)
        if field is not None and field.choices:
            statuses |= {str(value): label for value, label in field.flatchoices}
    return statuses


RECORD_TYPES: Mapping[str, str | Promise] = _FromRegistry(_record_types)
STATUSES: Mapping[str, str | Promise] = _FromRegistry(_statuses)


def _countries(codes: Collection[str], language: str) -> dict[str, str]:
    return {country.code: country.name(language) for country in Country.objects.filter(code__in=codes)}


def _regions(codes: Collection[str], language: str) -> dict[str, str]:
    return {region.code: region.name(language) for region in Region.objects.filter(code__in=codes)}


def _terms(vocabulary: str) -> Labeller:
    def label(codes: Collection[str], language: str) -> dict[str, str]:
        terms = Term.objects.filter(vocabulary__name=vocabulary, code__in=codes)
        return {term.code: term.label(language) for term in terms}

    return label


def _choices(choices: Mapping[str, str | Promise]) -> Labeller:
    def label(codes: Collection[str], language: str) -> dict[str, str]:
        # Translated in the active language, which the view has set to the reader's.
        return {code: str(choices[code]) for code in codes if code in choices}

    return label


LABELS: dict[str, Labeller] = {
    "record_type": _choices(RECORD_TYPES),
    "party": _countries,
    "region": _regions,
    "group": _choices({str(group.value): group.label for group in CountryGroup}),
    "target": _terms("gbf-targets"),
    "subject": _terms("subjects"),
    "support_type": _terms("support-types"),
    # Any ISO 639 language a record is written in, named by CLDR (else ISO 639-3) for the reader.
    "language": lambda codes, language: dict(language_names(codes, language)),
    "status": _choices(STATUSES),
}


def register_facet(
    facet: str,
    title: str | Promise,
    choices: Mapping[str, str | Promise] | None = None,
    *,
    vocabulary: str = "",
    labeller: Labeller | None = None,
) -> None:
    """Name a facet a record type adds (``Searched.facets``) and its values: fixed choices, the
    terms of a vocabulary, or a ``labeller`` of the type's own (values kept in its own table).
    Called from the type's app when Django starts."""
    FACET_TITLES[facet] = title
    LABELS[facet] = labeller or (_terms(vocabulary) if vocabulary else _choices(choices or {}))


def facet_title(facet: str) -> str:
    return str(FACET_TITLES.get(facet, facet.replace("_", " ").capitalize()))


def labels(facet: str, codes: Collection[str], language: str) -> dict[str, str]:
    """{code: label} for the codes of one facet; codes without a label are their own."""
    found = LABELS[facet](codes, language) if facet in LABELS and codes else {}
    return {code: found.get(code) or code for code in codes}
