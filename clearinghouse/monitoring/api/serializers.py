"""Indicators and their values in the API: the same numbers as the statistics pages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.core.languages import pick_label
from clearinghouse.monitoring.models import Indicator


class IndicatorTargetSerializer(serializers.Serializer[Any]):
    period_start = serializers.IntegerField(help_text="First year of the period.")
    period_end = serializers.IntegerField(help_text="Last year of the period.")
    value = serializers.FloatField()


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """An indicator of an activity of the action plan, with its baseline and targets."""

    names = serializers.SerializerMethodField(help_text="The name in each language it is written in.")
    name = serializers.SerializerMethodField(help_text="The name in the request's language.")
    activity = serializers.IntegerField(source="activity.number", help_text="Number of the plan's activity.")
    reason = serializers.SerializerMethodField(
        help_text="Why the platform does not compute it, if it does not."
    )
    targets = IndicatorTargetSerializer(many=True)
    # Declared, so the schema is the same on every database (PostgreSQL's small integers add a
    # maximum SQLite's do not).
    baseline_year = serializers.IntegerField(min_value=0, allow_null=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "names",
            "name",
            "definitions",
            "activity",
            "area",
            "unit",
            "currency",
            "method",
            "reason",
            "direction",
            "cumulative",
            "disaggregations",
            "baseline_year",
            "baseline_value",
            "targets",
        ]

    def get_names(self, indicator: Indicator) -> dict[str, str]:
        return indicator.texts

    def get_name(self, indicator: Indicator) -> str:
        return pick_label(indicator.texts) or indicator.code

    def get_reason(self, indicator: Indicator) -> str:
        return pick_label(indicator.reasons)


HIDDEN = (
    'Why the value is not public: "small" (a count of fewer people than the threshold), "withheld" '
    "(hidden so that a small count cannot be worked out from the total), or empty. The public gets "
    "no value then; the Secretariat gets it with this mark."
)


class ShownValueSerializer(serializers.Serializer[Any]):
    value = serializers.FloatField(allow_null=True, help_text="Null when hidden or not computed.")
    hidden = serializers.ChoiceField(choices=["", "small", "withheld"], allow_blank=True, help_text=HIDDEN)


class ValueCellSerializer(ShownValueSerializer):
    key = serializers.CharField(help_text="The value's code: ISO code of a Party, M49 code of a region...")
    # A field named like the serializer field's own "label" attribute, which stubs type as text.
    label = serializers.CharField(help_text="The value's name in the request's language.")  # type: ignore[assignment]


class TrendYearSerializer(ShownValueSerializer):
    year = serializers.IntegerField()
    computed = serializers.BooleanField(help_text="Whether the year has been computed.")


class IndicatorValuesSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(help_text="The indicator's code.")
    period = serializers.CharField(help_text="2025, 2025-2026 or 2025-03-01/2025-06-30.")
    start = serializers.DateField()
    end = serializers.DateField()
    computed = serializers.BooleanField(help_text="Whether the period has been computed.")
    computed_at = serializers.DateTimeField(allow_null=True)
    threshold = serializers.IntegerField(help_text="Counts of fewer people than this are not public.")
    unit = serializers.CharField()
    target = serializers.FloatField(allow_null=True, help_text="The target set for exactly this period.")
    total = ShownValueSerializer()
    dimension = serializers.CharField(allow_blank=True, help_text="The disaggregation of the cells.")
    cells = ValueCellSerializer(many=True)
    trend = TrendYearSerializer(many=True, help_text="The total of each calendar year computed.")
