from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.knowledge.models import Knowledge
from clearinghouse.publishing.api.serializers import RecordSerializer, record_fields


class KnowledgeSerializer(RecordSerializer):
    """A published knowledge product: its texts in each language it is written in, and what it
    is linked to (records by identifier, Parties and terms by code)."""

    cooperation = serializers.SerializerMethodField(
        help_text="The match whose cooperation the product comes from (its id in /api/v1/matches/), or null."
    )

    class Meta:
        model = Knowledge
        fields = record_fields(
            "kind",
            "title",
            "summary",
            "problem",
            "actions",
            "results",
            "advice",
            "cooperation",
            "events",
            "courses",
            "countries",
            "subjects",
            "gbf_targets",
            "plan_activities",
        )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_cooperation(self, product: Knowledge) -> int | None:
        return product.cooperation.match_id if product.cooperation is not None else None
