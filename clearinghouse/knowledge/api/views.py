from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.knowledge.api.serializers import KnowledgeSerializer
from clearinghouse.knowledge.filtersets import KnowledgeFilter
from clearinghouse.knowledge.models import Knowledge


class KnowledgeViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Published knowledge products (case studies, success stories, good practices, lessons
    learnt), newest first. Drafts stay with their authors' pages."""

    permission_classes = [AllowAny]
    lookup_field = "identifier"
    serializer_class = KnowledgeSerializer
    filterset_class = KnowledgeFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            Knowledge.objects.filter(live=True)
            .select_related("owner_country", "owner_organisation", "cooperation")
            .prefetch_related("plan_activities", "events", "courses", "countries", "subjects", "gbf_targets")
            .order_by("-first_published_at", "-pk")
        )
