from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.needs.models import Need, NeedsAssessment, Request
from clearinghouse.publishing.api.serializers import RecordSerializer, codes, record_fields

_COMMON = record_fields("format_version")


class NeedsAssessmentSerializer(RecordSerializer):
    class Meta:
        model = NeedsAssessment
        fields = [*_COMMON, *NeedsAssessment.CONTENT_FIELDS[2:]]


class NeedSerializer(RecordSerializer):
    assessment: Any = serializers.SlugRelatedField(slug_field="identifier", read_only=True)
    subjects = codes()
    gbf_targets = codes()
    aichi_targets = codes()
    instruments = codes()
    capacity_levels = codes()
    support_types = codes()
    target_groups = codes()
    contact_name = serializers.CharField(
        read_only=True, help_text="Confidential: owners, reviewers, help desk."
    )
    contact_email = serializers.CharField(
        read_only=True, help_text="Confidential: owners, reviewers, help desk."
    )

    class Meta:
        model = Need
        fields = [*_COMMON, *Need.CONTENT_FIELDS[2:], "status"]


class RequestSerializer(RecordSerializer):
    needs: Any = serializers.SlugRelatedField(slug_field="identifier", many=True, read_only=True)

    class Meta:
        model = Request
        fields = [*_COMMON, *Request.CONTENT_FIELDS[2:]]
