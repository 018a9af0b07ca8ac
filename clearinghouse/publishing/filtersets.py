"""Filters every record type's list shares, the same on its page and in the API: the owner's
Party, and terms of a controlled vocabulary. Values are codes (``party=KE``, ``target=GBF-T3``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from clearinghouse.core.forms import ByLabelIterator
from clearinghouse.geo.models import Country
from clearinghouse.vocabularies.models import Term


class Unlisted:
    """The value of a filter that names nothing on its list."""


UNLISTED = Unlisted()


class CodeChoiceField(forms.ModelChoiceField[Any]):
    """Choices by code. A code that names nothing on the list keeps nothing, as a search for an
    unknown word finds nothing, rather than being an error; a number is read as the id, as the
    lists' links had it before they used codes."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        *args: Any,
        upper: bool = False,
        lookup: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["to_field_name"] = "code"
        super().__init__(queryset, *args, **kwargs)
        self.upper = upper
        # Where a code is looked up: wider than the choices offered for countries.
        self.lookup = queryset if lookup is None else lookup

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        found = self.lookup.filter(code=text.upper() if self.upper else text).first()
        # Ids are small ASCII numbers; anything longer is no id (and would overflow the column).
        if found is None and text.isascii() and text.isdigit() and len(text) <= 9:
            found = self.lookup.filter(pk=int(text)).first()
        return found or UNLISTED

    def validate(self, value: Any) -> None:
        # Every value is read: an unlisted one filters everything out.
        return None


class TermField(CodeChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return obj.label()


class CountryField(CodeChoiceField):
    """Countries named and sorted in the reader's language."""

    iterator = ByLabelIterator

    def label_from_instance(self, obj: Country) -> str:
        return obj.name()


class CodeFilter(filters.ModelChoiceFilter):
    """A filter by code; ``description`` documents it in the API's schema."""

    def __init__(self, *args: Any, description: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_override(self, "field", {"type": "string", "description": description})

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.none() if value is UNLISTED else super().filter(qs, value)


class TermFilter(CodeFilter):
    """Records with one term of ``vocabulary`` (codes starting with ``prefix``) in ``field_name``."""

    field_class = TermField

    def __init__(self, *args: Any, vocabulary: str, prefix: str = "", **kwargs: Any) -> None:
        terms = Term.objects.filter(vocabulary__name=vocabulary, is_active=True, code__startswith=prefix)
        super().__init__(*args, queryset=terms.order_by("position", "code"), **kwargs)


def subject_filter() -> TermFilter:
    return TermFilter(
        field_name="subjects",
        vocabulary="subjects",
        label=_("Subject"),
        empty_label=_("Any subject"),
        description="Subject code",
    )


def support_type_filter() -> TermFilter:
    return TermFilter(
        field_name="support_types",
        vocabulary="support-types",
        label=_("Type of support"),
        empty_label=_("Any type"),
        description="Support type code",
    )


def target_filter() -> TermFilter:
    return TermFilter(
        field_name="gbf_targets",
        vocabulary="gbf-targets",
        prefix="GBF-T",
        label=_("GBF target"),
        empty_label=_("Any target"),
        description="GBF target code, e.g. GBF-T3",
    )


class PartyFilter(CodeFilter):
    """Records of a Party, and of the organisations based there."""

    field_class = CountryField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Party"))
        kwargs.setdefault("empty_label", _("All Parties"))
        super().__init__(
            *args,
            queryset=Country.objects.filter(cbd_party=True),
            upper=True,
            lookup=Country.objects.all(),
            **kwargs,
        )

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is UNLISTED:
            return qs.none()
        if not value:
            return qs
        return qs.filter(Q(owner_country=value) | Q(owner_organisation__country=value))
