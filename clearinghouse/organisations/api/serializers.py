from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string"} for code in CONTENT_LANGUAGES},
        "additionalProperties": False,
        "description": "The name in other languages, by language code.",
    }
)
class NameTranslationsField(serializers.JSONField):
    """An object of language code and name (checked by ``validate_name_translations``)."""


class CountryCodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A country by its code, or null. DRF reads "" as null for relations (a leftover of HTML
    forms); the API's schema says a code or null, so an empty code is refused."""

    def run_validation(self, data: Any = empty) -> Any:
        if data == "":
            self.fail("invalid")
        return super().run_validation(data)


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    name_translations = NameTranslationsField(
        required=False, label=capfirst(Organisation._meta.get_field("name_translations").verbose_name)
    )
    country = CountryCodeField(
        slug_field="code",
        queryset=Country.objects.all(),
        allow_null=True,
        required=False,
        help_text="ISO 3166-1 alpha-2 code of its country; null for international organisations.",
    )
    display_name = serializers.SerializerMethodField(
        help_text="The name in the request's language, else the original."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "name",
            "name_language",
            "name_translations",
            "display_name",
            "acronym",
            "type",
            "country",
            "website",
            "email",
            "phone",
            "address",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_display_name(self, organisation: Organisation) -> str:
        return organisation.display_name()

    def validate_name_translations(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
            raise serializers.ValidationError(_("Give the names as an object of language code and name."))
        unknown = sorted(set(value) - set(CONTENT_LANGUAGES))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return {code: text.strip() for code, text in value.items() if text.strip()}
