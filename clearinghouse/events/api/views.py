from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.events.api.serializers import EventSerializer
from clearinghouse.events.filtersets import EventFilter
from clearinghouse.events.models import Event
from clearinghouse.publishing.access import visible_records


class EventViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Events, trainings and round tables: published ones for everyone, soonest first; drafts too
    for the people who draft and review them."""

    permission_classes = [AllowAny]
    lookup_field = "identifier"
    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            visible_records(Event, self.request.user)
            .select_related("owner_country", "owner_organisation", "venue_country")
            .prefetch_related(
                "partners", "plan_activities", "gbf_targets", "subjects", "target_groups", "materials"
            )
            .order_by("starts_at", "pk")
            .distinct()
        )
