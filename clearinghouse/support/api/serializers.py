from __future__ import annotations

from rest_framework import serializers

from clearinghouse.publishing.api.serializers import RecordSerializer, record_fields
from clearinghouse.support.models import (
    Expert,
    Initiative,
    Offer,
    Opportunity,
    Partnership,
    Provider,
    Resource,
    ResourceVersion,
    SupportRecord,
)

_COMMON = [*record_fields(), "confirmed_at", "stale"]


class SupportRecordSerializer(RecordSerializer):
    """A support record as it is public (or, for its owners, as it stands)."""

    confidential_help = "Confidential unless the owner made it public: owners, reviewers, help desk."

    stale = serializers.BooleanField(
        read_only=True, help_text="Published, and neither confirmed nor published again for two years."
    )


def _fields(model: type[SupportRecord], *extra: str) -> list[str]:
    return [*_COMMON, *model.CONTENT_FIELDS[1:], *extra]


class OfferSerializer(SupportRecordSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="Its period has not ended.")

    class Meta:
        model = Offer
        fields = _fields(Offer, "is_open")


class OpportunitySerializer(SupportRecordSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="Open and its deadline not passed.")

    class Meta:
        model = Opportunity
        fields = _fields(Opportunity, "status", "is_open")


class ResourceVersionSerializer(serializers.ModelSerializer[ResourceVersion]):
    language = serializers.CharField(
        read_only=True, help_text="The version's language: ISO 639-1 code where it has one, else ISO 639-3."
    )
    download_url = serializers.SerializerMethodField(
        help_text="Counts the download, then serves the file or link."
    )

    class Meta:
        model = ResourceVersion
        fields = ["language", "media_type", "size", "link", "download_count", "download_url"]

    def get_download_url(self, version: ResourceVersion) -> str:
        from django.urls import reverse

        return str(self.context["request"].build_absolute_uri(reverse("support:download", args=[version.pk])))


class ResourceSerializer(SupportRecordSerializer):
    versions = ResourceVersionSerializer(
        many=True, read_only=True, source="published_versions", help_text="The published language versions."
    )

    class Meta:
        model = Resource
        fields = _fields(Resource, "versions", "view_count", "download_count")


class InitiativeSerializer(SupportRecordSerializer):
    class Meta:
        model = Initiative
        fields = _fields(Initiative)


class ProviderSerializer(SupportRecordSerializer):
    class Meta:
        model = Provider
        fields = _fields(Provider)


class PartnershipSerializer(SupportRecordSerializer):
    class Meta:
        model = Partnership
        fields = _fields(Partnership)


class ExpertSerializer(SupportRecordSerializer):
    confidential_help = "Shown only with the expert's consent."

    class Meta:
        model = Expert
        fields = _fields(Expert)
