"""Display labels of facet values, which are codes, in the reader's language.

``LABELS`` maps a facet to a function from (codes, language) to {code: label}; each looks its
codes up in one query. A code without a label shows as itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.geo.models import Country, CountryGroup, Region
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

RECORD_TYPES: dict[str, str | Promise] = {
    "need": _("Capacity need"),
    "request": _("Request for support"),
    "offer": _("Offer of support"),
    "resource": _("Resource"),
    "event": _("Event"),
    "course": _("Course"),
    "expert": _("Expert"),
    "initiative": _("Initiative"),
    "opportunity": _("Opportunity"),
    "provider": _("Provider"),
    "organisation": _("Organisation"),
}

STATUSES: dict[str, str | Promise] = {
    "open": _("Open"),
    "closed": _("Closed"),
    "in_progress": _("In progress"),
    "fulfilled": _("Fulfilled"),
}


def _countries(codes: Collection[str], language: str) -> dict[str, str]:
    return {country.code: country.name(language) for country in Country.objects.filter(code__in=codes)}


def _regions(codes: Collection[str], language: str) -> dict[str, str]:
    return {region.code: region.name(language) for region in Region.objects.filter(code__in=codes)}


def _terms(vocabulary: str) -> Labeller:
    def label(codes: Collection[str], language: str) -> dict[str, str]:
        terms = Term.objects.filter(vocabulary__name=vocabulary, code__in=codes)
        return {term.code: term.label(language) for term in terms}

    return label


def _choices(choices: dict[str, str | Promise]) -> Labeller:
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
    "language": _choices(dict(LANGUAGE_CHOICES)),
    "status": _choices(STATUSES),
}


def facet_title(facet: str) -> str:
    return str(FACET_TITLES.get(facet, facet.replace("_", " ").capitalize()))


def labels(facet: str, codes: Collection[str], language: str) -> dict[str, str]:
    """{code: label} for the codes of one facet; codes without a label are their own."""
    found = LABELS[facet](codes, language) if facet in LABELS and codes else {}
    return {code: found.get(code) or code for code in codes}
