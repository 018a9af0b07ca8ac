"""Names of disaggregations and of their values, in the reader's language, for the statistics
pages, the API and the downloads.

The dimension codes are shared by every app (party, region, gender...); a record type's own
dimensions (``RecordType.dimensions``: kind, status, level...) are named after the model field
they read, and their values after that field's choices. Names stored in the database (countries,
regions, vocabulary terms) are read in one query per dimension.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.events.models import Gender, Sector
from clearinghouse.geo.models import Country, Region, RegionalGroup
from clearinghouse.publishing.registry import record_types
from clearinghouse.vocabularies.models import Term

DIMENSIONS: dict[str, Any] = {
    "party": _("Party"),
    "region": _("Region"),
    "regional_group": _("UN regional group"),
    "ldc": _("Least developed country"),
    "sids": _("Small island developing State"),
    "gender": _("Gender"),
    "iplc": _("Indigenous peoples and local communities"),
    "youth": _("Youth"),
    "sector": _("Sector"),
    "language": _("Language"),
    "record_type": _("Type of record"),
    "subject": _("Thematic subject"),
    "target": _("GBF target"),
    "support_type": _("Type of support"),
    "kind": _("Kind"),
    "status": _("Status"),
}
YES_NO = {"yes": _("Yes"), "no": _("No")}
VOCABULARY_DIMENSIONS = {"subject", "target", "support_type"}


def _own_field(dimension: str) -> Any:
    """The model field a record type's own dimension reads, when it reads a plain field."""
    for record_type in record_types():
        path = record_type.dimensions.get(dimension)
        if not isinstance(path, str) or "__" in path:
            continue
        try:
            return record_type.model._meta.get_field(path)
        except FieldDoesNotExist:
            continue
    return None


def dimension_label(code: str) -> str:
    """The disaggregation's name: the shared codes', else the field a record type counts by."""
    if code in DIMENSIONS:
        return str(DIMENSIONS[code])
    field = _own_field(code)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name).capitalize()
    return code.replace("_", " ").capitalize()


def _choices(dimension: str) -> dict[str, str]:
    """The values' names of a choice field every record type counting by it declares."""
    names: dict[str, str] = {}
    for record_type in record_types():
        path = record_type.dimensions.get(dimension)
        if not isinstance(path, str) or "__" in path:
            continue
        try:
            field = record_type.model._meta.get_field(path)
        except FieldDoesNotExist:
            continue
        for value, label in getattr(field, "choices", None) or ():
            names.setdefault(str(value), str(label))
    return names


def key_labels(dimension: str, keys: Iterable[str], language: str | None = None) -> dict[str, str]:
    """{key: name} of a disaggregation's values (at most one query). Keys without a known name
    keep their code; the empty key is "Not stated"."""
    wanted = sorted({key for key in keys if key})
    names: dict[str, str]
    if dimension == "party":
        names = {country.code: country.name(language) for country in Country.objects.filter(code__in=wanted)}
    elif dimension == "region":
        names = {region.code: region.name(language) for region in Region.objects.filter(code__in=wanted)}
    elif dimension == "regional_group":
        names = {str(value): str(label) for value, label in RegionalGroup.choices}
    elif dimension in {"ldc", "sids", "iplc", "youth"}:
        names = {key: str(label) for key, label in YES_NO.items()}
    elif dimension == "gender":
        names = {str(value): str(label) for value, label in Gender.choices}
    elif dimension == "sector":
        names = {str(value): str(label) for value, label in Sector.choices}
    elif dimension == "language":
        names = {str(value): str(label) for value, label in LANGUAGE_CHOICES}
    elif dimension == "record_type":
        names = {
            record_type.code: str(record_type.model._meta.verbose_name_plural).capitalize()
            for record_type in record_types()
        }
    elif dimension in VOCABULARY_DIMENSIONS:
        names = {}
        for term in Term.objects.filter(code__in=wanted).order_by("code", "pk"):
            names.setdefault(term.code, term.label(language))
    else:
        names = _choices(dimension)
    found = {key: names.get(key, key) for key in wanted}
    if any(not key for key in keys):
        found[""] = str(_("Not stated"))
    return found
