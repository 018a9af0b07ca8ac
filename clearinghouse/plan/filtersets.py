"""Filters of the action plan, the same on the page (/plan/) and in the API."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import AICHI_VOCABULARY, Activity, ActivityQuerySet, Section, Status
from clearinghouse.vocabularies.models import Term

GBF_VOCABULARY = "gbf-targets"
YES_NO = [("true", _("Yes")), ("false", _("No"))]
STATUS_CHOICES = [*Status.choices, ("none", _("No progress recorded"))]


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        name = obj.display_name()
        return f"{obj.acronym}: {name}" if obj.acronym and obj.acronym != name else name


class TermChoiceField(forms.ModelChoiceField[Term]):
    def label_from_instance(self, obj: Term) -> str:
        return f"{obj.code.split('-', 1)[-1]}: {obj.label()}"


class Unlisted:
    """The value of a filter that names nothing on its list."""


UNLISTED = Unlisted()


class UnlistedMeansNothing:
    """For the filters' lists: a well-formed value that names nothing on the list (an organisation
    that is no partner, a target code not loaded) keeps no activity, as a search for an unknown
    word finds nothing, rather than being an error. The API's contract relies on it: any integer
    is a valid ``partner``, any text a valid ``aichi`` or ``gbf``."""

    well_formed = re.compile(r".")

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)  # type: ignore[misc]
        except ValidationError:
            if self.well_formed.search(str(value).strip()):
                return UNLISTED
            raise


class PartnerField(UnlistedMeansNothing, OrganisationChoiceField):
    well_formed = re.compile(r"^-?\d+$")


class TargetField(UnlistedMeansNothing, TermChoiceField):
    pass


class ListedFilter(filters.ModelChoiceFilter):
    def filter(self, qs: QuerySet[Activity], value: Any) -> QuerySet[Activity]:
        return qs.none() if value is UNLISTED else super().filter(qs, value)


class PartnerFilter(ListedFilter):
    field_class = PartnerField


class TargetFilter(ListedFilter):
    field_class = TargetField


def partner_organisations(request: Any = None) -> QuerySet[Organisation]:
    """The organisations named as partners of at least one activity."""
    return Organisation.objects.filter(
        pk__in=Activity.partners.through.objects.values("organisation_id")
    ).order_by("acronym", "name")


def aichi_targets(request: Any = None) -> QuerySet[Term]:
    return Term.objects.filter(vocabulary__name=AICHI_VOCABULARY, code__startswith="AICHI-T").order_by(
        "position", "code"
    )


def gbf_targets(request: Any = None) -> QuerySet[Term]:
    """The GBF targets that some Aichi target maps to."""
    return (
        Term.objects.filter(vocabulary__name=GBF_VOCABULARY, mapped_from__vocabulary__name=AICHI_VOCABULARY)
        .distinct()
        .order_by("position", "code")
    )


class ActivityFilter(filters.FilterSet):
    section = filters.ChoiceFilter(label=_("Section"), choices=Section.choices, empty_label=_("All sections"))
    priority = filters.ChoiceFilter(
        label=_("Priority activity"),
        choices=YES_NO,
        method="filter_flag",
        empty_label=_("Any"),
        help_text=_("Activities the annex marks with an asterisk."),
    )
    secretariat = filters.ChoiceFilter(
        label=_("Secretariat role"),
        choices=YES_NO,
        method="filter_flag",
        empty_label=_("Any"),
        help_text=_("Activities the annex marks (S)."),
    )
    status = filters.ChoiceFilter(
        label=_("Current status"),
        choices=STATUS_CHOICES,
        empty_label=_("Any status"),
        method="filter_status",
    )
    partner = PartnerFilter(
        label=_("Partner organisation"),
        queryset=partner_organisations,
        field_name="partners",
        empty_label=_("Any partner"),
    )
    aichi = TargetFilter(
        label=_("Aichi Biodiversity Target"),
        queryset=aichi_targets,
        to_field_name="code",
        field_name="aichi_targets",
        empty_label=_("Any Aichi target"),
    )
    gbf = TargetFilter(
        label=_("GBF target"),
        queryset=gbf_targets,
        to_field_name="code",
        method="filter_gbf",
        empty_label=_("Any GBF target"),
        help_text=_("Through the Aichi targets that correspond to it."),
    )

    class Meta:
        model = Activity
        fields = ["section", "priority", "secretariat", "status", "partner", "aichi", "gbf"]

    def filter_flag(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        return queryset.filter(Q(**{name: value == "true"}))

    def filter_status(self, queryset: ActivityQuerySet, name: str, value: str) -> ActivityQuerySet:
        return queryset.with_status(value)

    def filter_gbf(
        self, queryset: QuerySet[Activity], name: str, value: Term | Unlisted
    ) -> QuerySet[Activity]:
        if isinstance(value, Unlisted):
            return queryset.none()
        # A subquery rather than a join: two Aichi targets of one activity may map to the same GBF target.
        return queryset.filter(pk__in=Activity.objects.filter(aichi_targets__maps_to=value).values("pk"))
