from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from clearinghouse.plan.api.serializers import ActivitySerializer
from clearinghouse.plan.filtersets import ActivityFilter
from clearinghouse.plan.models import (
    PROGRESS_ORDER,
    Activity,
    ActivityProgress,
    Contribution,
    ContributionState,
    Section,
    Status,
)
from clearinghouse.vocabularies.models import Term

CURRENT_STATUS = (
    "Current status: that of the latest progress report (latest period, then latest recorded); "
    '"none" for activities without a report.'
)


def _choice(name: str, values: list[str], description: str) -> OpenApiParameter:
    # Empty means "any", as the page's form sends it; the generated schema would leave "" out.
    return OpenApiParameter(name, str, enum=["", *values], description=description)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            _choice("section", [value for value, _label in Section.choices], "Section of the annex, A to D."),
            _choice(
                "priority", ["true", "false"], "Priority activities (marked with an asterisk), or the others."
            ),
            _choice("secretariat", ["true", "false"], "Activities marked (S), or the others."),
            _choice("status", [*(value for value, _label in Status.choices), "none"], CURRENT_STATUS),
        ]
    )
)
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
            Activity.objects.all()
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
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.filter(state=ContributionState.ACCEPTED)
                    .select_related("organisation")
                    .order_by("reviewed_at", "pk"),
                    to_attr="accepted_contributions",
                ),
            )
            .order_by("number")
        )
