"""The gap analysis in the API: /api/v1/statistics/gaps/?period=2025-2026, the figures of the
page /statistics/gaps/ as JSON. Public: they count public records, never people."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearinghouse.monitoring import gaps
from clearinghouse.monitoring.gaps_views import chosen_period, period_choices

# ``label`` fields are named like the serializer field's own "label" attribute, which stubs type
# as text: hence the ignores.


class GapRowSerializer(serializers.Serializer[object]):
    key = serializers.CharField(
        help_text='Code of the target, subject, region or type of support ("": not stated).'
    )
    label = serializers.CharField(help_text="Its name in the response's language.")  # type: ignore[assignment]
    needs = serializers.IntegerField(help_text="Public needs first published in the period.")
    support = serializers.IntegerField(
        help_text="Public, current support records on offer at the period's end."
    )
    matches = serializers.IntegerField(help_text="Matches agreed for those needs.")
    unmatched = serializers.IntegerField(help_text="Those needs without an agreed match.")
    gap_ratio = serializers.FloatField(
        allow_null=True,
        help_text="Needs without a match per support record on offer (null: nothing on offer).",
    )


class GapBreakdownSerializer(serializers.Serializer[object]):
    dimension = serializers.ChoiceField(choices=list(gaps.BREAKDOWNS))
    label = serializers.CharField()  # type: ignore[assignment]
    rows = GapRowSerializer(many=True, help_text="The widest gap first.")


class WaitingNeedSerializer(serializers.Serializer[object]):
    identifier = serializers.CharField()
    title = serializers.CharField()
    party = serializers.CharField(help_text="ISO 3166 code of the Party.")
    party_name = serializers.CharField()
    registered = serializers.DateField(help_text="Day it was first published.")
    age_days = serializers.IntegerField(help_text="Days since it was first published.")
    status = serializers.CharField()
    targets = serializers.ListField(child=serializers.CharField(), help_text="Codes of its GBF targets.")
    target_labels = serializers.ListField(child=serializers.CharField())


class CofundingAmountSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    currency = serializers.CharField(help_text="ISO 4217 code.")
    amount = serializers.DecimalField(max_digits=20, decimal_places=2)
    cooperations = serializers.IntegerField()


class CofundingSerializer(serializers.Serializer[object]):
    by_currency = CofundingAmountSerializer(many=True)
    by_region = CofundingAmountSerializer(many=True, help_text="By UN region of the Party supported.")
    by_target = CofundingAmountSerializer(many=True, help_text="By GBF target of the needs supported.")


class FunnelStageSerializer(serializers.Serializer[object]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    needs = serializers.IntegerField(help_text="Needs registered in the period that reached the stage.")
    median_days = serializers.FloatField(allow_null=True, help_text="Median days from the previous stage.")


class GapsSerializer(serializers.Serializer[object]):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    needs = serializers.IntegerField(help_text="Public needs first published in the period.")
    support = serializers.IntegerField(help_text="Support records on offer at the period's end.")
    breakdowns = GapBreakdownSerializer(many=True)
    longest_unmatched = WaitingNeedSerializer(many=True)
    cofunding = CofundingSerializer()
    funnel = FunnelStageSerializer(many=True)


def _data(analysis: gaps.Gaps) -> dict[str, Any]:
    return {
        "period": str(analysis.period),
        "start": analysis.period.start,
        "end": analysis.period.end,
        "needs": analysis.needs,
        "support": analysis.support,
        "breakdowns": analysis.breakdowns,
        "longest_unmatched": analysis.longest_unmatched,
        "cofunding": analysis.cofunding,
        "funnel": analysis.funnel,
    }


class GapsView(APIView):
    """The gap analysis of a year or biennium: needs by GBF target, subject, UN region and type
    of support against the support on offer and the matches made; the needs waiting longest;
    where co-funding goes; the needs' funnel (docs/monitoring-gaps.md)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="statistics_gaps",
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                enum=[value for value, _label in period_choices()],
                description="A biennium (2025-2026) or a year (2025); the current biennium when left out.",
            )
        ],
        responses=GapsSerializer,
    )
    def get(self, request: Request) -> Response:
        form, period = chosen_period(request.query_params)
        if period is None:
            raise ValidationError(form.errors.get_json_data())
        return Response(GapsSerializer(_data(gaps.analyse(period))).data)
