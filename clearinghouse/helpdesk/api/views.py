from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.helpdesk import statistics
from clearinghouse.helpdesk.api.serializers import FaqEntrySerializer, StatisticsSerializer
from clearinghouse.helpdesk.filtersets import FaqEntryFilter
from clearinghouse.helpdesk.models import Desk, FaqEntry
from clearinghouse.helpdesk.statistics_views import filters_for, may_see_statistics


class FaqEntryViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Published FAQ entries of the help desk, newest first. Drafts stay with their authors."""

    permission_classes = [AllowAny]
    lookup_field = "identifier"
    serializer_class = FaqEntrySerializer
    filterset_class = FaqEntryFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            FaqEntry.objects.filter(live=True)
            .select_related("owner_country", "owner_organisation", "topic")
            .prefetch_related("plan_activities")
            .order_by("-first_published_at", "-pk")
        )


def _data(report: statistics.Report, desks: list[str]) -> dict[str, Any]:
    rating = report.satisfaction
    return {
        "start": report.filters.start,
        "end": report.filters.end,
        "desks": desks,
        "tickets": report.total,
        "breakdowns": [
            {
                "name": table.name,
                "label": table.label,
                "rows": [{"key": row.key, "label": row.label, "count": row.count} for row in table.rows],
                "total": table.total,
            }
            for table in report.breakdowns
        ],
        "timings": [
            {
                "name": measure.name,
                "count": measure.count,
                "median_hours": statistics.hours(measure.median),
                "p90_hours": statistics.hours(measure.p90),
                "judged": measure.judged,
                "within_target": measure.within_target,
                "share_within_target": measure.share_within_target,
            }
            for measure in report.timings
        ],
        "satisfaction": {
            "rated": rating.rated,
            "average": rating.average,
            "distribution": [{"rating": score, "count": count} for score, count in rating.distribution],
        },
        "parties_by_year": [{"year": year, "parties": parties} for year, parties in report.parties_by_year],
        "parties_assisted": report.parties_assisted,
        "to_matchmaking": report.to_matchmaking,
        "faq_published": report.faq_published,
    }


class HelpdeskStatistics(APIView):
    """The help desk's figures over the tickets opened in a period, for the Secretariat and the
    desks' agents (each on the desks they work): the same figures as the statistics page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="helpdesk_statistics",
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description="First day of the period (opened from)."
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of the period (opened until)."),
            OpenApiParameter("desk", OpenApiTypes.STR, description="Code of one of the caller's desks."),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request: Request) -> Response:
        if not may_see_statistics(request.user):
            raise PermissionDenied
        form, filters = filters_for(request.user, request.query_params)
        if filters is None:
            raise ValidationError(form.errors.get_json_data())
        report = statistics.report(filters)
        desks = (
            Desk.objects.all() if filters.desks is None else Desk.objects.filter(pk__in=list(filters.desks))
        )
        data = _data(report, list(desks.order_by("code").values_list("code", flat=True)))
        return Response(StatisticsSerializer(data).data)
