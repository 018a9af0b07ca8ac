from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.publishing.api.serializers import RecordSerializer, codes, record_fields
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


def _organisation() -> Any:
    return serializers.SlugRelatedField(slug_field="code", read_only=True)


_CONFIDENTIAL = "Confidential unless the owner made it public: owners, reviewers, help desk."


class SupportRecordSerializer(RecordSerializer):
    """A support record as it is public (or, for its owners, as it stands)."""

    stale = serializers.BooleanField(
        read_only=True, help_text="Published, and neither confirmed nor published again for two years."
    )


def _fields(model: type[SupportRecord], *extra: str) -> list[str]:
    return [*_COMMON, *model.CONTENT_FIELDS[1:], *extra]


class OfferSerializer(SupportRecordSerializer):
    provider = _organisation()
    support_types = codes()
    subjects = codes()
    gbf_targets = codes()
    aichi_targets = codes()
    target_groups = codes()
    is_open = serializers.BooleanField(read_only=True, help_text="Its period has not ended.")
    contact_email = serializers.CharField(read_only=True, help_text=_CONFIDENTIAL)

    class Meta:
        model = Offer
        fields = _fields(Offer, "is_open")


class OpportunitySerializer(SupportRecordSerializer):
    provider = _organisation()
    target_groups = codes()
    subjects = codes()
    gbf_targets = codes()
    support_types = codes()
    is_open = serializers.BooleanField(read_only=True, help_text="Open and its deadline not passed.")

    class Meta:
        model = Opportunity
        fields = _fields(Opportunity, "status", "is_open")


class ResourceVersionSerializer(serializers.ModelSerializer[ResourceVersion]):
    language = serializers.CharField(read_only=True, help_text="ISO 639-1 code of one of the six languages.")
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
    subjects = codes()
    gbf_targets = codes()
    aichi_targets = codes()
    versions = ResourceVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Resource
        fields = _fields(Resource, "versions", "view_count", "download_count")


class InitiativeSerializer(SupportRecordSerializer):
    lead_organisation = _organisation()
    partners = codes()
    countries = codes()
    regions = codes()
    gbf_targets = codes()
    aichi_targets = codes()
    subjects = codes()
    support_types = codes()
    target_groups = codes()
    resources: Any = serializers.SlugRelatedField(slug_field="identifier", many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = _fields(Initiative)


class ProviderSerializer(SupportRecordSerializer):
    organisation = _organisation()
    subjects = codes()
    support_types = codes()
    contact_name = serializers.CharField(read_only=True, help_text=_CONFIDENTIAL)
    contact_email = serializers.CharField(read_only=True, help_text=_CONFIDENTIAL)
    contact_phone = serializers.CharField(read_only=True, help_text=_CONFIDENTIAL)

    class Meta:
        model = Provider
        fields = _fields(Provider)


class PartnershipSerializer(SupportRecordSerializer):
    institution = _organisation()
    subjects = codes()

    class Meta:
        model = Partnership
        fields = _fields(Partnership)


class ExpertSerializer(SupportRecordSerializer):
    subjects = codes()
    support_types = codes()
    gbf_targets = codes()
    countries = codes()
    name = serializers.CharField(read_only=True, help_text="Shown only with the expert's consent.")
    email = serializers.CharField(read_only=True, help_text="Shown only with the expert's consent.")
    biography = serializers.JSONField(read_only=True, help_text="Shown only with the expert's consent.")

    class Meta:
        model = Expert
        fields = _fields(Expert)
