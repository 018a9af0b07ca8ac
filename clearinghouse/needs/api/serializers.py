from __future__ import annotations

from clearinghouse.needs.models import Need, NeedsAssessment, Request
from clearinghouse.publishing.api.serializers import RecordSerializer, record_fields

_COMMON = record_fields("format_version")


class NeedsAssessmentSerializer(RecordSerializer):
    class Meta:
        model = NeedsAssessment
        fields = [*_COMMON, *NeedsAssessment.CONTENT_FIELDS[2:]]


class NeedSerializer(RecordSerializer):
    class Meta:
        model = Need
        fields = [*_COMMON, *Need.CONTENT_FIELDS[2:], "status"]


class RequestSerializer(RecordSerializer):
    class Meta:
        model = Request
        fields = [*_COMMON, *Request.CONTENT_FIELDS[2:]]
