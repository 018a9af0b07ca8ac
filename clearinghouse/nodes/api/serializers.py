"""The register of national clearing-house mechanisms as data: each Party's national CHM with its
status history and the needs it published to ask for support, for national nodes, the
Convention's other clearing-houses and anyone who reports on activity 72."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.geo.models import Country
from clearinghouse.nodes.models import NationalCHM, StatusChange


class StatusChangeSerializer(serializers.ModelSerializer[StatusChange]):
    class Meta:
        model = StatusChange
        fields = ["status", "since", "until"]


class NationalCHMSerializer(serializers.ModelSerializer[NationalCHM]):
    government: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(
        source="party", slug_field="code", read_only=True
    )
    history = StatusChangeSerializer(many=True, read_only=True)
    support_requests = serializers.SerializerMethodField(
        help_text="Identifiers of the published needs the Party registered to ask for support to "
        "build or improve its national CHM."
    )
    page = serializers.SerializerMethodField(help_text="The Party's country page.")

    class Meta:
        model = NationalCHM
        fields = [
            "government",
            "website",
            "status",
            "status_since",
            "technology",
            "technology_detail",
            "languages",
            "contact_office",
            "contact_email",
            "last_checked",
            "history",
            "support_requests",
            "page",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_support_requests(self, chm: NationalCHM) -> list[str]:
        # Drafts and needs waiting for review stay with the Party.
        return [request.need.identifier for request in chm.support_requests.all() if request.need.live]

    def get_page(self, chm: NationalCHM) -> str:
        request: Any = self.context.get("request")
        path = chm.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path
