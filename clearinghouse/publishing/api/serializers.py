"""What every record type's API representation shares: its owner, its link, and one rule for
confidential fields."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.publishing import access, registry
from clearinghouse.publishing.models import Record


def record_fields(*own: str) -> list[str]:
    """The fields every record type's representation starts with; ``own`` stand after the
    original language, ahead of the workflow's."""
    return [
        "identifier",
        "url",
        "owner",
        "original_language",
        *own,
        "state",
        "live",
        "revision_number",
        "live_revision_number",
        "first_published_at",
        "last_published_at",
    ]


class RecordSerializer(serializers.ModelSerializer[Record]):
    """A record as it is public (or, for its owners, as it stands)."""

    owner = serializers.SerializerMethodField(help_text="ISO code of the Party, or the organisation's code.")
    url = serializers.SerializerMethodField(
        help_text="The record's page (resolves in the reader's language)."
    )
    # Every type has them; a type's serializer shows them by naming them in its fields.
    plan_activities = serializers.SerializerMethodField(
        help_text="The numbers of the action plan's activities the record serves."
    )
    original_language = serializers.CharField(
        read_only=True,
        help_text=(
            "The language the record is written in: its ISO 639-1 code where it has one (ar, zh, en, fr, "
            "ru, es, qu, sw ...), else its ISO 639-3 code (quz, zgh ...). Texts are keyed by the same codes."
        ),
    )

    # What a serializer says of the fields its record type declares confidential.
    confidential_help = "Confidential: owners, reviewers, help desk."

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple[type[Any], dict[str, Any]]:
        """Related objects as other systems and files name them: records by their identifier,
        terms, countries, regions and organisations by their code. The API only reads."""
        related = relation_info.related_model
        kwargs: dict[str, Any] = {
            "slug_field": "identifier" if issubclass(related, Record) else "code",
            "many": relation_info.to_many,
            "read_only": True,
        }
        model_field = relation_info.model_field
        if not relation_info.to_many and model_field is not None and model_field.null:
            # An optional link (a need outside any assessment) reads as null: say so in the schema.
            kwargs["allow_null"] = True
        return serializers.SlugRelatedField, kwargs

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra: dict[str, Any] = super().get_extra_kwargs()
        model: type[Record] = self.Meta.model
        for name in registry.of(model).confidential:
            extra.setdefault(name, {}).update(read_only=True, help_text=self.confidential_help)
        return extra

    def get_owner(self, record: Record) -> str:
        return str(record.owner.code)

    # Declared, not read from the model field: its range would follow the database backend.
    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(min_value=1)))
    def get_plan_activities(self, record: Record) -> list[int]:
        # Sorted here, not by the database: a prefetched list is read as it is.
        return sorted(activity.number for activity in record.plan_activities.all())

    def get_url(self, record: Record) -> str:
        return str(self.context["request"].build_absolute_uri(reverse("resolve", args=[record.identifier])))

    def to_representation(self, instance: Record) -> dict[str, Any]:
        """The confidential fields this reader may not see are left out (publishing.access's one
        rule: owners, reviewers, the help desk and the person the record is about; everyone
        once the record discloses them)."""
        data = super().to_representation(instance)
        for name in access.hidden_fields(self.context["request"].user, instance):
            data.pop(name, None)
        return dict(data)


class RecordSerializerSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """The schema of every record type: its confidential fields are left out for whoever may
    not see them (``RecordSerializer.to_representation``), so they are not required."""

    target_class = RecordSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_basic_serializer(self.target, direction)
        confidential = set(registry.of(self.target.Meta.model).confidential)
        required = [name for name in schema.get("required", []) if name not in confidential]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema
