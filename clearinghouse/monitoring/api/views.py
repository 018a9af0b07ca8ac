from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.monitoring import values
from clearinghouse.monitoring.api.serializers import IndicatorSerializer, IndicatorValuesSerializer
from clearinghouse.monitoring.models import Indicator
from clearinghouse.monitoring.views import exact_for


class IndicatorList(generics.ListAPIView[Indicator]):
    """Every indicator of the action plan: names, unit, method, activity, area, baseline, targets."""

    permission_classes = [AllowAny]
    serializer_class = IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        return Indicator.objects.select_related("activity", "item").prefetch_related("targets")


def _shown(shown: values.Shown) -> dict[str, Any]:
    return {"value": shown.value, "hidden": shown.hidden}


class IndicatorValues(APIView):
    """An indicator's values for a period, from the period's current computation: the total, the
    cells of one disaggregation and the trend over the years. Counts of few people are hidden
    from the public as on the statistics pages."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="indicator_values",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="2025, 2025-2026 or 2025-03-01/2025-06-30; the current biennium if left out.",
            ),
            OpenApiParameter(
                "dimension", OpenApiTypes.STR, description="One of the indicator's disaggregations."
            ),
        ],
        responses=IndicatorValuesSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        indicator = get_object_or_404(Indicator.objects.select_related("activity", "item"), code=code)
        text = request.query_params.get("period", "")
        try:
            period = values.parse_period(text) if text else values.biennium(timezone.localdate())
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from error
        dimension = request.query_params.get("dimension", "")
        if dimension and dimension not in indicator.disaggregations:
            choices = ", ".join(indicator.disaggregations) or "—"
            message = _("This indicator is broken down only by: %(dimensions)s.") % {"dimensions": choices}
            raise ValidationError({"dimension": [message]})
        reading = values.read(
            [indicator], period, exact=exact_for(request.user), dimensions=[dimension] if dimension else ()
        )
        found = reading.indicators[0]
        rows = found.breakdowns[0].rows if found.breakdowns else ()
        data = {
            "indicator": indicator.code,
            "period": str(period),
            "start": period.start,
            "end": period.end,
            "computed": reading.computed,
            "computed_at": reading.computation.finished_at if reading.computation else None,
            "threshold": reading.threshold,
            "unit": indicator.unit,
            "target": found.target,
            "total": _shown(found.total),
            "dimension": dimension,
            "cells": [{"key": row.key, "label": row.label, **_shown(row.shown)} for row in rows],
            "trend": [
                {"year": point.year, "computed": point.computed, **_shown(point.shown)}
                for point in found.trend
            ],
        }
        return Response(IndicatorValuesSerializer(data).data)
