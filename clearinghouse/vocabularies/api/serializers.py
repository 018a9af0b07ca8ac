from __future__ import annotations

from rest_framework import serializers

from clearinghouse.vocabularies.models import Term, Vocabulary


class LabelsSerializer(serializers.Serializer[dict[str, str]]):
    """A text in each of the six UN languages (ISO 639-1 codes)."""

    ar = serializers.CharField(help_text="Arabic.")
    zh = serializers.CharField(help_text="Chinese (Simplified).")
    en = serializers.CharField(help_text="English.")
    fr = serializers.CharField(help_text="French.")
    ru = serializers.CharField(help_text="Russian.")
    es = serializers.CharField(help_text="Spanish.")


# DRF takes declared fields off the class, so a field may share the name of a Field attribute
# (label, parent, source); the type stubs cannot know that, hence the ignores below.


class TermSerializer(serializers.ModelSerializer[Term]):
    labels = LabelsSerializer()
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The label in the request's language (Accept-Language)."
    )
    parent: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the broader term of the same vocabulary; null for a top-level term.",
    )
    maps_to: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the terms of other vocabularies this term corresponds to (Aichi to GBF).",
    )
    mapped_from: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes of the terms that map to this term."
    )
    is_active = serializers.BooleanField(help_text="False for terms withdrawn from the vocabulary.")

    class Meta:
        model = Term
        fields = ["code", "labels", "label", "parent", "maps_to", "mapped_from", "is_active"]
        read_only_fields = fields

    def get_label(self, term: Term) -> str:
        return term.label()


class VocabularySummarySerializer(serializers.ModelSerializer[Vocabulary]):
    titles = LabelsSerializer()
    title = serializers.SerializerMethodField(
        help_text="The title in the request's language (Accept-Language)."
    )
    version = serializers.IntegerField(help_text="Raised by one at each change of the vocabulary's content.")
    release = serializers.CharField(help_text="Release of the source data it was loaded from.")
    source = serializers.CharField(help_text="Where the terms come from.")  # type: ignore[assignment]
    term_count = serializers.IntegerField(help_text="Number of terms in use.")
    url = serializers.HyperlinkedIdentityField(view_name="api:vocabulary-detail", lookup_field="name")

    class Meta:
        model = Vocabulary
        fields = ["name", "titles", "title", "version", "release", "source", "term_count", "url"]
        read_only_fields = fields

    def get_title(self, vocabulary: Vocabulary) -> str:
        return vocabulary.title()


class VocabularySerializer(VocabularySummarySerializer):
    terms = TermSerializer(many=True, help_text="The terms in display order.")

    class Meta(VocabularySummarySerializer.Meta):
        fields = [*VocabularySummarySerializer.Meta.fields, "terms"]
        read_only_fields = fields


class VocabularyQuerySerializer(serializers.Serializer[dict[str, bool]]):
    include_inactive = serializers.BooleanField(
        default=False, help_text="Also list the terms withdrawn from the vocabulary."
    )
