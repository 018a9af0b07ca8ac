"""Filters of each support record type's list, the same on its page (/support/<type>/) and in
the API (/api/v1/<type>/): one FilterSet class per record type, with the vocabularies it has."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from clearinghouse.geo.models import CountryGroup, RegionalGroup
from clearinghouse.publishing.filtersets import (
    PartyFilter,
    TermFilter,
    subject_filter,
    support_type_filter,
    target_filter,
)
from clearinghouse.support.models import (
    RECORD_MODELS,
    Initiative,
    InitiativeStatus,
    Offer,
    Opportunity,
    SupportRecord,
)

_GROUP_FLAGS = {
    CountryGroup.LDC: "ldc",
    CountryGroup.SIDS: "sids",
    CountryGroup.ARAB_STATES: "arab_league",
    CountryGroup.DEVELOPING: "developing",
    CountryGroup.EIT: "economy_in_transition",
}
_STALE = ("stale", _("Out of date (not confirmed for two years)"))


def statuses(model: type[SupportRecord]) -> list[tuple[str, Any]]:
    """The status filter's choices for a record type."""
    if model in (Offer, Opportunity):
        return [("open", _("Open")), ("closed", _("Closed")), _STALE]
    if model is Initiative:
        return [*InitiativeStatus.choices, _STALE]
    return [_STALE]


def _owner_country(condition: dict[str, Any]) -> Q:
    return Q(**{f"owner_country__{key}": value for key, value in condition.items()}) | Q(
        **{f"owner_organisation__country__{key}": value for key, value in condition.items()}
    )


class SupportFilter(filters.FilterSet):
    """What every record type's filters share; ``filterset_for`` adds its terms and statuses."""

    party = PartyFilter(description="ISO code of the owner's Party")
    region = filters.ChoiceFilter(
        label=_("Region or group"),
        choices=[
            ("", _("Anywhere")),
            *[(str(group.value), group.label) for group in RegionalGroup],
            *[(str(group.value), group.label) for group in CountryGroup],
        ],
        empty_label=None,
        method="filter_region",
    )

    def filter_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value in {str(group.value) for group in RegionalGroup}:
            return queryset.filter(_owner_country({"regional_group": value}))
        if value in _GROUP_FLAGS:
            return queryset.filter(_owner_country({_GROUP_FLAGS[CountryGroup(value)]: True}))
        return queryset

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        model = queryset.model
        if value == "stale":
            return queryset.filter(SupportRecord.stale_condition())
        today = timezone.localdate()
        if model is Opportunity:
            condition = Opportunity.open_condition(today)
        elif model is Offer:
            condition = Q(period_end__isnull=True) | Q(period_end__gte=today)
        elif model is Initiative:
            return queryset.filter(status=value)
        else:
            return queryset
        return queryset.filter(condition) if value == "open" else queryset.exclude(condition)


def _terms(model: type[SupportRecord]) -> dict[str, TermFilter]:
    """The subject, type of support and GBF target filters of the vocabularies ``model`` has."""
    terms = {"subject": subject_filter(), "support_type": support_type_filter(), "target": target_filter()}
    return {name: term for name, term in terms.items() if term.field_name in model.VOCABULARIES}


def _filterset(model: type[SupportRecord]) -> type[SupportFilter]:
    terms = _terms(model)
    status = filters.ChoiceFilter(
        label=_("Status"),
        choices=[("", _("Any status")), *statuses(model)],
        empty_label=None,
        method="filter_status",
    )
    meta = type("Meta", (), {"model": model, "fields": ["party", "region", *terms, "status"]})
    attributes: dict[str, Any] = {"Meta": meta, "status": status, **terms}
    return type(f"{model.__name__}Filter", (SupportFilter,), attributes)


FILTERSETS: dict[type[SupportRecord], type[SupportFilter]] = {
    model: _filterset(model) for model in RECORD_MODELS
}
