from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.needs.models import Need, NeedsAssessment, Request
from clearinghouse.publishing.api.serializers import RecordSerializer

_COMMON = [
    "identifier",
    "url",
    "owner",
    "original_language",
    "format_version",
    "state",
    "live",
    "revision_number",
    "live_revision_number",
    "first_published_at",
    "last_published_at",
]


def _codes() -> Any:
    """Terms of a controlled vocabulary, as their codes."""
    return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)


class NeedsAssessmentSerializer(RecordSerializer):
    class Meta:
        model = NeedsAssessment
        fields = [*_COMMON, *NeedsAssessment.CONTENT_FIELDS[2:]]


class NeedSerializer(RecordSerializer):
    assessment: Any = serializers.SlugRelatedField(slug_field="identifier", read_only=True)
    subjects = _codes()
    gbf_targets = _codes()
    aichi_targets = _codes()
    instruments = _codes()
    capacity_levels = _codes()
    support_types = _codes()
    target_groups = _codes()
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
