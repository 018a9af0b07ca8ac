from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.api.filters import or_any
from clearinghouse.publishing.access import visible_records
from clearinghouse.support.api import serializers as s
from clearinghouse.support.models import (
    Expert,
    Initiative,
    Offer,
    Opportunity,
    Partnership,
    Provider,
    Resource,
    SupportRecord,
)

_STATUS = [("open", "open"), ("closed", "closed"), ("stale", "stale")]


class SupportFilter(filters.FilterSet):
    party = filters.CharFilter(method="filter_party", label="ISO code of the owner's Party")
    subject = filters.CharFilter(method="filter_subject", label="Subject code")
    support_type = filters.CharFilter(method="filter_support_type", label="Support type code")
    target = filters.CharFilter(method="filter_target", label="GBF target code, e.g. GBF-T3")
    status = filters.ChoiceFilter(
        choices=or_any(_STATUS),
        empty_label=None,
        method="filter_status",
        label="open, closed (offers, opportunities) or stale",
    )

    def filter_party(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        code = value.upper()
        return queryset.filter(Q(owner_country__code=code) | Q(owner_organisation__country__code=code))

    def _terms(self, queryset: QuerySet[Any], relation: str, value: str) -> QuerySet[Any]:
        if relation not in queryset.model.VOCABULARIES:
            return queryset.none()
        return queryset.filter(**{f"{relation}__code": value})

    def filter_subject(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return self._terms(queryset, "subjects", value)

    def filter_support_type(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return self._terms(queryset, "support_types", value)

    def filter_target(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return self._terms(queryset, "gbf_targets", value)

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        model = queryset.model
        if value == "stale":
            return queryset.filter(SupportRecord.stale_condition())
        today = timezone.localdate()
        if model is Opportunity:
            condition = Opportunity.open_condition(today)
        elif model is Offer:
            condition = Q(period_end__isnull=True) | Q(period_end__gte=today)
        else:
            return queryset
        return queryset.filter(condition) if value == "open" else queryset.exclude(condition)


def _filterset(record_model: type[SupportRecord]) -> type[SupportFilter]:
    meta = type(
        "Meta",
        (),
        {"model": record_model, "fields": ["party", "subject", "support_type", "target", "status"]},
    )
    return type(f"{record_model.__name__}Filter", (SupportFilter,), {"Meta": meta})


class _SupportViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Published records for everyone; drafts too for the people who draft and review them."""

    permission_classes = [AllowAny]
    lookup_field = "identifier"
    model: type[SupportRecord]
    related: tuple[str, ...] = ()
    many: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet[Any]:
        return (
            visible_records(self.model, self.request.user)
            .select_related("owner_country", "owner_organisation", *self.related)
            .prefetch_related(*self.many)
            .order_by("-created_at", "-pk")
            .distinct()
        )


class OfferViewSet(_SupportViewSet):
    """Offers of support: what providers offer, to whom, and how many requests they can take."""

    model = Offer
    serializer_class = s.OfferSerializer
    filterset_class = _filterset(Offer)
    related = ("provider",)
    many = ("support_types", "subjects", "gbf_targets", "aichi_targets", "target_groups")


class OpportunityViewSet(_SupportViewSet):
    """Grants, fellowships, internships, scholarships, training places and calls for proposals."""

    model = Opportunity
    serializer_class = s.OpportunitySerializer
    filterset_class = _filterset(Opportunity)
    related = ("provider",)
    many = ("target_groups", "subjects", "gbf_targets", "support_types")


class InitiativeViewSet(_SupportViewSet):
    """Capacity-building initiatives, their results and lessons learned."""

    model = Initiative
    serializer_class = s.InitiativeSerializer
    filterset_class = _filterset(Initiative)
    related = ("lead_organisation",)
    many = (
        "partners",
        "countries",
        "regions",
        "gbf_targets",
        "aichi_targets",
        "subjects",
        "support_types",
        "target_groups",
        "resources",
    )


class ResourceViewSet(_SupportViewSet):
    """Guides, toolkits, manuals, e-learning modules, case studies, datasets and videos."""

    model = Resource
    serializer_class = s.ResourceSerializer
    filterset_class = _filterset(Resource)
    many = ("subjects", "gbf_targets", "aichi_targets", "versions")


class ProviderViewSet(_SupportViewSet):
    """Provider profiles, education and training institutions included."""

    model = Provider
    serializer_class = s.ProviderSerializer
    filterset_class = _filterset(Provider)
    related = ("organisation",)
    many = ("subjects", "support_types")


class PartnershipViewSet(_SupportViewSet):
    """Partnerships of the Secretariat or a Party with institutions."""

    model = Partnership
    serializer_class = s.PartnershipSerializer
    filterset_class = _filterset(Partnership)
    related = ("institution",)
    many = ("subjects",)


class ExpertViewSet(_SupportViewSet):
    """Experts; names, e-mails and biographies only with their consent."""

    model = Expert
    serializer_class = s.ExpertSerializer
    filterset_class = _filterset(Expert)
    many = ("subjects", "support_types", "gbf_targets", "countries")
