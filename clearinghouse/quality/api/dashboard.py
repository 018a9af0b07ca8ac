"""The public quality statistics as JSON (the statistics page's figures)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.core.forms import date_range_of_query
from clearinghouse.quality import statistics
from clearinghouse.quality.statistics_views import period_of


class _Use(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="EVENT, COURSE, or all.")
    label = serializers.CharField()  # type: ignore[assignment]
    total = serializers.IntegerField(help_text="Public ones first published in the period.")
    using = serializers.IntegerField(help_text="With a quality checklist or a judged peer review.")
    percent = serializers.FloatField(allow_null=True)


class _Average(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="A record type's code, COOPERATION, a UN regional group, or all.")
    label = serializers.CharField()  # type: ignore[assignment]
    ratings = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="Empty under min_ratings ratings.")
    high_percent = serializers.FloatField(allow_null=True, help_text="Ratings of 4 or 5, in percent.")


class QualityStatisticsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    min_ratings = serializers.IntegerField()
    using_standards = _Use(many=True)
    ratings = _Average()
    ratings_by_type = _Average(many=True)
    ratings_by_region = _Average(many=True)
    judged = serializers.IntegerField(help_text="Items judged against a quality standard in the period.")
    meets = serializers.IntegerField(help_text="Of them, items judged to meet it.")


class QualityStatistics(APIView):
    """The share of events and courses using the quality standards, and participants' and
    users' average ratings by type and region, over a period: the quality statistics page's."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="quality_statistics",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day of the period."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of the period."),
        ],
        responses=QualityStatisticsSerializer,
    )
    def get(self, request: Request) -> Response:
        form, errors = date_range_of_query(request.query_params)
        if errors:
            raise ValidationError(errors)
        data = statistics.as_data(statistics.report(period_of(form)))
        return Response(QualityStatisticsSerializer(data).data)
