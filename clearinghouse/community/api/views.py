"""The community's read-only API: the statistics page's figures (as the help desk's)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.community import statistics
from clearinghouse.community.api.serializers import CommunityStatisticsSerializer
from clearinghouse.community.statistics_views import may_see_statistics, scope_for
from clearinghouse.core.forms import date_range_of_query
from clearinghouse.geo.models import Country


def _figure(figure: Any) -> dict[str, Any]:
    if isinstance(figure, statistics.Figure):
        return {"value": figure.value, "hidden": str(figure.hidden or "")}
    return {"value": figure if isinstance(figure, float | int) else None, "hidden": ""}


def _lines(lines: tuple[statistics.Line, ...]) -> list[dict[str, Any]]:
    return [{"key": line.key, "label": line.label, "figure": _figure(line.figure)} for line in lines]


class CommunityStatistics(APIView):
    """Alumni and communities figures over a period, for the Secretariat (every Party, exact)
    and focal points (their Parties, small counts of people hidden): the statistics page's."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="community_statistics",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day of the period."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of the period."),
        ],
        responses=CommunityStatisticsSerializer,
    )
    def get(self, request: Request) -> Response:
        if not may_see_statistics(request.user):
            raise PermissionDenied
        form, errors = date_range_of_query(request.query_params)
        if errors:
            raise ValidationError(errors)
        scope = scope_for(request.user, form)
        report = statistics.report(scope, exact=scope.countries is None)
        parties = (
            None
            if scope.countries is None
            else sorted(Country.objects.filter(pk__in=list(scope.countries)).values_list("code", flat=True))
        )
        data = {
            "start": scope.start,
            "end": scope.end,
            "parties": parties,
            "exact": report.exact,
            "alumni": _figure(report.alumni),
            "breakdowns": [
                {
                    "name": table.name,
                    "label": table.label,
                    "rows": [
                        {"key": row.key, "label": row.label, "figure": _figure(row.figure)}
                        for row in table.rows
                    ],
                }
                for table in report.breakdowns
            ],
            "network": _lines(report.network),
            "mentoring": _lines(report.mentoring),
            "ratings": _lines(report.ratings),
            "follow_up": _lines(report.follow_up),
        }
        return Response(CommunityStatisticsSerializer(data).data)
