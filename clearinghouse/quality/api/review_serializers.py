"""An item's quality mark as the API gives it: what its page shows everyone."""

from __future__ import annotations

from rest_framework import serializers


class QualityMarkSerializer(serializers.Serializer[object]):
    standard = serializers.CharField(help_text="The standard's code, as in the standards' data.")
    version = serializers.IntegerField(help_text="The standard's version the item was reviewed against.")
    title = serializers.DictField(
        child=serializers.CharField(), help_text="The standard's title by language ({lang: text})."
    )
    round = serializers.IntegerField(help_text="The round of review that met the standard.")
    record_version = serializers.IntegerField(help_text="The item's published revision that was reviewed.")
    judged_at = serializers.DateTimeField()
    text = serializers.CharField(
        help_text="The mark as the record's page shows it, in the request's language."
    )


class ItemQualitySerializer(serializers.Serializer[object]):
    identifier = serializers.CharField()
    mark = QualityMarkSerializer(allow_null=True, help_text="Null while the item carries no quality mark.")
