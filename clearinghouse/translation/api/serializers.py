"""Translation requests and coverage as the API gives them: no person is named."""

from __future__ import annotations

from rest_framework import serializers

from clearinghouse.translation.models import Kind, RequestState, TranslationRequest


class TranslationRequestSerializer(serializers.ModelSerializer[TranslationRequest]):
    state = serializers.ChoiceField(choices=RequestState.choices, help_text="Where the request stands.")
    kind = serializers.ChoiceField(
        choices=Kind.choices,
        help_text="texts: the record's texts; file: a resource's file (a language version).",
    )
    requesters = serializers.IntegerField(
        source="asked_by", read_only=True, help_text="How many people asked."
    )

    class Meta:
        model = TranslationRequest
        fields = [
            "id",
            "identifier",
            "record_type",
            "kind",
            "language",
            "state",
            "source_language",
            "requesters",
            "created_at",
            "claimed_at",
            "submitted_at",
            "published_at",
            "closed_at",
        ]
        read_only_fields = fields


class CoverageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    record_type = serializers.CharField(help_text="The record type's code (NEED, RES...).")
    language = serializers.CharField(help_text="ISO 639-1 code of the language (ar, zh, en, fr, ru, es).")
    published = serializers.IntegerField(help_text="Published records of the type.")
    with_texts = serializers.IntegerField(help_text="Of them, records with their title in the language.")
    without_texts = serializers.IntegerField(help_text="Of them, records without it.")
    waiting = serializers.IntegerField(
        help_text="Translation requests into the language waiting for a translator."
    )
    in_progress = serializers.IntegerField(help_text="Requests claimed, waiting for review or returned.")
