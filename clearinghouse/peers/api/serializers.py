"""Peers of a need as the API gives them: one Party a row, its best-matching needs, and what
the two Parties share (codes, with labels in the reader's language)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.core.languages import content_language
from clearinghouse.matching.vocabulary import SUBJECTS, TARGETS, default_vocabularies
from clearinghouse.peers.finder import PeerNeed, PeerParty


class SharedTermSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label


class PeerNeedSerializer(serializers.Serializer[PeerNeed]):
    identifier = serializers.CharField(source="need.identifier")
    status = serializers.CharField(source="need.status")
    original_language = serializers.CharField(source="need.original_language")
    title = serializers.DictField(source="need.title", child=serializers.CharField())
    score = serializers.FloatField(help_text="The matcher's score; compare within one answer only.")
    close_in_meaning = serializers.BooleanField()
    addressed = serializers.BooleanField()
    completed_cooperation = serializers.BooleanField(
        help_text="A match for it was completed with an outcome (a completed cooperation)."
    )


class PeerPartySerializer(serializers.Serializer[PeerParty]):
    party = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.SerializerMethodField()
    score = serializers.FloatField()
    addressed = serializers.BooleanField(help_text="The Party addressed a similar need.")
    shared_subjects = serializers.SerializerMethodField()
    shared_targets = serializers.SerializerMethodField()
    shared_languages = serializers.ListField(child=serializers.CharField())
    needs = PeerNeedSerializer(many=True)

    def get_name(self, peer: PeerParty) -> str:
        return peer.country.name(content_language())

    @staticmethod
    def _terms(vocabulary: str, codes: list[str]) -> list[dict[str, str]]:
        label = default_vocabularies().label
        language = content_language()
        return [{"code": code, "label": label(vocabulary, code, language)} for code in codes]

    @extend_schema_field(SharedTermSerializer(many=True))
    def get_shared_subjects(self, peer: PeerParty) -> list[dict[str, str]]:
        return self._terms(SUBJECTS, [code.code for code in peer.shared_subjects])

    @extend_schema_field(SharedTermSerializer(many=True))
    def get_shared_targets(self, peer: PeerParty) -> list[dict[str, str]]:
        return self._terms(TARGETS, [code.code for code in peer.shared_targets])
