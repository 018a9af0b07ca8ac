"""The help desk in the API: published FAQ entries, and the statistics (the figures of the
statistics page, as JSON)."""

from __future__ import annotations

from rest_framework import serializers

from clearinghouse.helpdesk.models import FaqEntry
from clearinghouse.publishing.api.serializers import RecordSerializer, record_fields


class FaqEntrySerializer(RecordSerializer):
    """A published FAQ entry: its question and answer in each language it is written in."""

    class Meta:
        model = FaqEntry
        fields = record_fields("question", "answer", "topic", "plan_activities")


class RowSerializer(serializers.Serializer[object]):
    key = serializers.CharField(help_text="The value's code; empty for tickets without one.")
    # A field named like the serializer field's own "label" attribute, which stubs type as text.
    label = serializers.CharField(help_text="The value's name in the request's language.")  # type: ignore[assignment]
    count = serializers.IntegerField()


class BreakdownSerializer(serializers.Serializer[object]):
    name = serializers.CharField(help_text="channel, desk, topic, party, region, language or status.")
    label = serializers.CharField(help_text="The table's heading in the request's language.")  # type: ignore[assignment]
    rows = RowSerializer(many=True)
    total = serializers.IntegerField()


class TimingSerializer(serializers.Serializer[object]):
    name = serializers.CharField(help_text="first_response or resolution.")
    count = serializers.IntegerField(help_text="Tickets that reached it.")
    median_hours = serializers.FloatField(allow_null=True, help_text="Wall-clock hours from opening.")
    p90_hours = serializers.FloatField(allow_null=True, help_text="Wall-clock hours from opening.")
    judged = serializers.IntegerField(help_text="Tickets whose target is decided (reached, or overdue).")
    within_target = serializers.IntegerField(help_text="Reached by the due time (business hours).")
    share_within_target = serializers.FloatField(allow_null=True, help_text="Percent of the judged.")


class RatingSerializer(serializers.Serializer[object]):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    count = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer[object]):
    rated = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    distribution = RatingSerializer(many=True)


class YearSerializer(serializers.Serializer[object]):
    year = serializers.IntegerField()
    parties = serializers.IntegerField(help_text="Distinct Parties whose tickets were opened that year.")


class StatisticsSerializer(serializers.Serializer[object]):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    desks = serializers.ListField(child=serializers.CharField(), help_text="Codes of the desks counted.")
    tickets = serializers.IntegerField(help_text="Tickets opened in the period, merged ones left out.")
    breakdowns = BreakdownSerializer(many=True)
    timings = TimingSerializer(many=True)
    satisfaction = SatisfactionSerializer()
    parties_by_year = YearSerializer(many=True)
    parties_assisted = serializers.IntegerField(help_text="Distinct Parties assisted in the period.")
    to_matchmaking = serializers.IntegerField(help_text="Tickets that became matchmaking cases.")
    faq_published = serializers.IntegerField(help_text="FAQ entries first published in the period.")
