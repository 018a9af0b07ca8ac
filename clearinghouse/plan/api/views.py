from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.plan.api.serializers import ActivitySerializer
from clearinghouse.plan.filtersets import ActivityFilter
from clearinghouse.plan.models import PROGRESS_ORDER, Activity, ActivityProgress
from clearinghouse.vocabularies.models import Term


class ActivityViewSet(viewsets.ReadOnlyModelViewSet[Activity]):
    """The activities of the short-term action plan on capacity-building (decision XIII/23, annex),
    with their progress and evidence. Public, read-only; filters as on the /plan/ page."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    permission_classes = [AllowAny]
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Activity]:
        terms = Term.objects.order_by("position", "code")
        return (
            Activity.objects.with_current_status()
            .prefetch_related(
                "outputs",
                "indicators",
                "partners",
                Prefetch("aichi_targets", queryset=terms.prefetch_related(Prefetch("maps_to", terms))),
                Prefetch(
                    "progress",
                    queryset=ActivityProgress.objects.select_related("lead").order_by(*PROGRESS_ORDER),
                ),
                "evidence",
            )
            .order_by("number")
        )
