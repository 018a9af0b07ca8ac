"""The lists' filters, applied to a queryset of one record type."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.geo.models import CountryGroup, RegionalGroup
from clearinghouse.support.models import Initiative, InitiativeStatus, Offer, Opportunity, SupportRecord

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


def apply(records: QuerySet[Any], model: type[SupportRecord], data: dict[str, Any]) -> QuerySet[Any]:
    if data.get("party"):
        records = records.filter(
            Q(owner_country=data["party"]) | Q(owner_organisation__country=data["party"])
        )
    region = data.get("region")
    if region in {str(group.value) for group in RegionalGroup}:
        records = records.filter(_owner_country({"regional_group": region}))
    elif region in _GROUP_FLAGS:
        records = records.filter(_owner_country({_GROUP_FLAGS[CountryGroup(region)]: True}))
    for name, relation in (
        ("subject", "subjects"),
        ("support_type", "support_types"),
        ("target", "gbf_targets"),
    ):
        if data.get(name):
            records = records.filter(**{relation: data[name]})
    status = data.get("status")
    today = timezone.localdate()
    if status == "stale":
        records = records.filter(SupportRecord.stale_condition())
    elif model is Opportunity and status in {"open", "closed"}:
        condition = Opportunity.open_condition(today)
        records = records.filter(condition) if status == "open" else records.exclude(condition)
    elif model is Offer and status in {"open", "closed"}:
        condition = Q(period_end__isnull=True) | Q(period_end__gte=today)
        records = records.filter(condition) if status == "open" else records.exclude(condition)
    elif model is Initiative and status:
        records = records.filter(status=status)
    return records.distinct()
