from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.needs.api.serializers import NeedsAssessmentSerializer, NeedSerializer, RequestSerializer
from clearinghouse.needs.filtersets import NeedFilter
from clearinghouse.needs.models import FormatRecord, Need, NeedsAssessment, Request
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


class _RecordViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    permission_classes = [AllowAny]
    lookup_field = "identifier"
    model: type[FormatRecord]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            visible_records(self.model, self.request.user)
            .select_related("owner_country", "owner_organisation")
            .prefetch_related("plan_activities")
            .order_by("-created_at", "-pk")
            .distinct()
        )


class NeedViewSet(_RecordViewSet):
    """Needs in the common format: published ones for everyone, drafts for their owners."""

    model = Need
    serializer_class = NeedSerializer
    filterset_class = NeedFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super().get_queryset().select_related("assessment").prefetch_related(*_TERMS, "national_targets")
        )


class NeedsAssessmentViewSet(_RecordViewSet):
    """Needs assessments."""

    model = NeedsAssessment
    serializer_class = NeedsAssessmentSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("national_report")


class RequestViewSet(_RecordViewSet):
    """Requests for assistance."""

    model = Request
    serializer_class = RequestSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("needs")
