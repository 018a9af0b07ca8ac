from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.publishing.access import visible_records
from clearinghouse.support.api import serializers as s
from clearinghouse.support.filtersets import FILTERSETS
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
            .prefetch_related("plan_activities", *self.many)
            .order_by("-created_at", "-pk")
            .distinct()
        )


class OfferViewSet(_SupportViewSet):
    """Offers of support: what providers offer, to whom, and how many requests they can take."""

    model = Offer
    serializer_class = s.OfferSerializer
    filterset_class = FILTERSETS[Offer]
    related = ("provider",)
    many = ("support_types", "subjects", "gbf_targets", "aichi_targets", "target_groups")


class OpportunityViewSet(_SupportViewSet):
    """Grants, fellowships, internships, scholarships, training places and calls for proposals."""

    model = Opportunity
    serializer_class = s.OpportunitySerializer
    filterset_class = FILTERSETS[Opportunity]
    related = ("provider",)
    many = ("target_groups", "subjects", "gbf_targets", "support_types")


class InitiativeViewSet(_SupportViewSet):
    """Capacity-building initiatives, their results and lessons learned."""

    model = Initiative
    serializer_class = s.InitiativeSerializer
    filterset_class = FILTERSETS[Initiative]
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
    filterset_class = FILTERSETS[Resource]
    many = ("subjects", "gbf_targets", "aichi_targets", "versions")


class ProviderViewSet(_SupportViewSet):
    """Provider profiles, education and training institutions included."""

    model = Provider
    serializer_class = s.ProviderSerializer
    filterset_class = FILTERSETS[Provider]
    related = ("organisation",)
    many = ("subjects", "support_types")


class PartnershipViewSet(_SupportViewSet):
    """Partnerships of the Secretariat or a Party with institutions."""

    model = Partnership
    serializer_class = s.PartnershipSerializer
    filterset_class = FILTERSETS[Partnership]
    related = ("institution",)
    many = ("subjects",)


class ExpertViewSet(_SupportViewSet):
    """Experts; names, e-mails and biographies only with their consent."""

    model = Expert
    serializer_class = s.ExpertSerializer
    filterset_class = FILTERSETS[Expert]
    many = ("subjects", "support_types", "gbf_targets", "countries")
