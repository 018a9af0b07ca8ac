"""National targets and reports as the clearing-house mechanism's ``nationalTarget`` and
``nationalReport`` formats name their parts: an identifier, the government's ISO code, texts as
{language: text}, GBF targets by code."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.geo.models import Country
from clearinghouse.national.models import NationalReport, NationalTarget
from clearinghouse.vocabularies.models import Term


class NationalTargetSerializer(serializers.ModelSerializer[NationalTarget]):
    government: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(
        source="party", slug_field="code", read_only=True
    )
    gbf_targets: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    title = serializers.DictField(child=serializers.CharField(), help_text="Title by language code.")
    description = serializers.DictField(
        child=serializers.CharField(), help_text="Description by language code."
    )
    nbsap = serializers.SerializerMethodField(help_text="The NBSAP the target belongs to.")
    retired = serializers.SerializerMethodField()

    class Meta:
        model = NationalTarget
        fields = [
            "identifier",
            "government",
            "code",
            "original_language",
            "title",
            "description",
            "gbf_targets",
            "adopted_year",
            "nbsap",
            "retired",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "year": {"type": "integer", "nullable": True},
                "url": {"type": "string"},
            },
        }
    )
    def get_nbsap(self, target: NationalTarget) -> dict[str, Any]:
        return {"name": target.nbsap_name, "year": target.nbsap_year, "url": target.nbsap_url}

    def get_retired(self, target: NationalTarget) -> bool:
        return target.retired_at is not None


class NationalReportSerializer(serializers.ModelSerializer[NationalReport]):
    government: serializers.SlugRelatedField[Country] = serializers.SlugRelatedField(
        source="party", slug_field="code", read_only=True
    )
    retired = serializers.SerializerMethodField()

    class Meta:
        model = NationalReport
        fields = [
            "identifier",
            "government",
            "kind",
            "year",
            "title",
            "language",
            "url",
            "document",
            "retired",
        ]

    def get_retired(self, report: NationalReport) -> bool:
        return report.retired_at is not None
