from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.api.filters import or_any
from clearinghouse.needs.api.serializers import NeedsAssessmentSerializer, NeedSerializer, RequestSerializer
from clearinghouse.needs.models import FormatRecord, Need, NeedsAssessment, NeedStatus, Priority, Request
from clearinghouse.publishing.access import visible_records

_TERMS = (
    "subjects",
    "gbf_targets",
    "aichi_targets",
    "instruments",
    "capacity_levels",
    "support_types",
    "target_groups",
)


class NeedFilter(filters.FilterSet):
    party = filters.CharFilter(method="filter_party", label="ISO code of the Party")
    priority = filters.ChoiceFilter(choices=or_any(Priority.choices), empty_label=None)
    status = filters.ChoiceFilter(choices=or_any(NeedStatus.choices), empty_label=None)
    subject = filters.CharFilter(field_name="subjects__code", label="Subject code")
    support_type = filters.CharFilter(field_name="support_types__code", label="Support type code")
    target = filters.CharFilter(field_name="gbf_targets__code", label="GBF target code, e.g. GBF-T3")

    class Meta:
        model = Need
        fields = ["party", "priority", "status", "subject", "support_type", "target"]

    def filter_party(self, queryset: QuerySet[Need], name: str, value: str) -> QuerySet[Need]:
        code = value.upper()
        return queryset.filter(Q(owner_country__code=code) | Q(owner_organisation__country__code=code))


class _RecordViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    permission_classes = [AllowAny]
    lookup_field = "identifier"
    model: type[FormatRecord]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            visible_records(self.model, self.request.user)
            .select_related("owner_country", "owner_organisation")
            .order_by("-created_at", "-pk")
            .distinct()
        )


class NeedViewSet(_RecordViewSet):
    """Needs in the common format: published ones for everyone, drafts for their owners."""

    model = Need
    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("assessment").prefetch_related(*_TERMS)


class NeedsAssessmentViewSet(_RecordViewSet):
    """Needs assessments."""

    model = NeedsAssessment
    serializer_class = NeedsAssessmentSerializer


class RequestViewSet(_RecordViewSet):
    """Requests for assistance."""

    model = Request
    serializer_class = RequestSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("needs")
