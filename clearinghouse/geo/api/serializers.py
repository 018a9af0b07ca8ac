from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clearinghouse.geo.models import Country, CountryGroup, Region, RegionalGroup


class NamesSerializer(serializers.Serializer[dict[str, str]]):
    """A name in each of the six UN languages (ISO 639-1 codes), from Unicode CLDR."""

    ar = serializers.CharField(help_text="Arabic.")
    zh = serializers.CharField(help_text="Chinese (Simplified).")
    en = serializers.CharField(help_text="English.")
    fr = serializers.CharField(help_text="French.")
    ru = serializers.CharField(help_text="Russian.")
    es = serializers.CharField(help_text="Spanish.")


class RegionSerializer(serializers.ModelSerializer[Region]):
    code = serializers.CharField(help_text="UN M49 code, three digits.")
    names = NamesSerializer()
    name = serializers.SerializerMethodField(help_text="The name in the request's language.")

    class Meta:
        model = Region
        fields = ["code", "names", "name"]

    def get_name(self, region: Region) -> str:
        return region.name()


class PartySerializer(serializers.Serializer[Country]):
    cbd = serializers.BooleanField(source="cbd_party", help_text="Party to the Convention.")
    cartagena = serializers.BooleanField(
        source="cartagena_party", help_text="Party to the Cartagena Protocol."
    )
    nagoya = serializers.BooleanField(source="nagoya_party", help_text="Party to the Nagoya Protocol.")


class RegionalGroupField(serializers.ChoiceField):
    """The UN regional group, null for countries in none (stored as an empty text)."""

    def to_representation(self, value: Any) -> Any:
        return str(value) if value else None


class CountrySerializer(serializers.ModelSerializer[Country]):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    alpha3 = serializers.CharField(help_text="ISO 3166-1 alpha-3 code.")
    m49 = serializers.CharField(help_text="UN M49 (ISO 3166-1 numeric) code.")
    names = NamesSerializer()
    name = serializers.SerializerMethodField(
        help_text="The name in the request's language (Accept-Language)."
    )
    region = RegionSerializer(allow_null=True, help_text="M49 region (e.g. 002 Africa).")
    subregion = RegionSerializer(allow_null=True, help_text="M49 subregion (e.g. 202 Sub-Saharan Africa).")
    intermediate_region = RegionSerializer(
        allow_null=True, help_text="M49 intermediate region (e.g. 014 Eastern Africa), where there is one."
    )
    regional_group = RegionalGroupField(
        choices=RegionalGroup.choices, allow_null=True, help_text="UN regional group; null for none."
    )
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=CountryGroup.choices),
        help_text="The groups the country belongs to.",
    )
    party = PartySerializer(source="*", help_text="Whether the country is a Party to each instrument.")

    class Meta:
        model = Country
        fields = [
            "code",
            "alpha3",
            "m49",
            "names",
            "name",
            "region",
            "subregion",
            "intermediate_region",
            "regional_group",
            "groups",
            "party",
        ]
        read_only_fields = fields

    def get_name(self, country: Country) -> str:
        return country.name()
