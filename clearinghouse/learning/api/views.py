from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.learning.api.serializers import CourseSerializer
from clearinghouse.learning.filtersets import CourseFilter
from clearinghouse.learning.models import Course


class CourseViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Published courses of the e-learning platform, newest first, with their outline (never the
    quizzes' answers). Drafts stay with their authors' pages."""

    permission_classes = [AllowAny]
    lookup_field = "identifier"
    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            Course.objects.filter(live=True)
            .select_related("owner_country", "owner_organisation")
            .prefetch_related("plan_activities", "gbf_targets", "subjects", "target_groups")
            .order_by("-first_published_at", "-pk")
        )
