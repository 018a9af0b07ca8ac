from __future__ import annotations

from rest_framework import serializers

from clearinghouse.national.models import NationalReport, NationalTarget
from clearinghouse.needs.models import Need, NeedsAssessment, Request
from clearinghouse.publishing.api.serializers import RecordSerializer, record_fields

_COMMON = record_fields("format_version")


class NeedsAssessmentSerializer(RecordSerializer):
    national_report: serializers.SlugRelatedField[NationalReport] = serializers.SlugRelatedField(
        slug_field="identifier",
        read_only=True,
        allow_null=True,
        help_text="The identifier of the national report it draws on (/api/v1/national/{party}/reports/).",
    )

    class Meta:
        model = NeedsAssessment
        fields = [*_COMMON, *NeedsAssessment.CONTENT_FIELDS[2:]]


class NeedSerializer(RecordSerializer):
    national_targets: serializers.SlugRelatedField[NationalTarget] = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="The codes of its Party's national targets it serves (/api/v1/national/{party}/targets/).",
    )

    class Meta:
        model = Need
        fields = [*_COMMON, *Need.CONTENT_FIELDS[2:], "status"]


class RequestSerializer(RecordSerializer):
    class Meta:
        model = Request
        fields = [*_COMMON, *Request.CONTENT_FIELDS[2:]]
