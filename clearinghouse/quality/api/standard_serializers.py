"""The standards and checklist templates in force, as the API gives them: every text in the
languages it has ({language code: text})."""

from __future__ import annotations

from rest_framework import serializers

from clearinghouse.quality.models import ChecklistTemplate, Criterion, Standard, TemplateStep

TEXTS = "Texts by ISO 639-1 language code (ar, zh, en, fr, ru, es); languages without a text are left out."


def _texts(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(), help_text=f"{help_text} {TEXTS}")


# Declared rather than derived from the small-integer columns: PostgreSQL would add the column's
# upper bound to the schema and SQLite would not, and the contract is one for both.
def _position() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, read_only=True, help_text="Order in the list, from 0.")


def _version() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, read_only=True, help_text="Version number, from 1.")


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    position = _position()
    group = _texts("The heading the criterion is listed under.")
    text = _texts("The criterion.")
    guidance = _texts("How reviewers judge it.")
    scale = serializers.ChoiceField(
        choices=["rating", "met", "yes_no"],
        help_text=(
            "rating: 1 (poor) to 5 (excellent); met: met 2, partly met 1, not met 0; yes_no: yes 1, no 0."
        ),
    )

    class Meta:
        model = Criterion
        fields = ["position", "group", "text", "guidance", "scale"]


class StandardSerializer(serializers.ModelSerializer[Standard]):
    title = _texts("Title.")
    summary = _texts("What the standard is for.")
    applies_to = serializers.ChoiceField(
        choices=["event", "course", "module", "material", "offer"], help_text="What the standard is for."
    )
    version = _version()
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Standard
        fields = [
            "code",
            "version",
            "applies_to",
            "original_language",
            "title",
            "summary",
            "anonymous_reviews",
            "min_reviews",
            "max_rounds",
            "put_in_force_at",
            "criteria",
        ]


class StepSerializer(serializers.ModelSerializer[TemplateStep]):
    position = _position()
    text = _texts("The step.")
    guidance = _texts("How to do it, or what shows it was done.")

    class Meta:
        model = TemplateStep
        fields = ["position", "text", "guidance", "evidence_required"]


class ChecklistTemplateSerializer(serializers.ModelSerializer[ChecklistTemplate]):
    title = _texts("Title.")
    summary = _texts("What the checklist is for.")
    applies_to = serializers.ChoiceField(
        choices=["event", "course", "module", "material", "offer"], help_text="What the checklist is for."
    )
    version = _version()
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = [
            "code",
            "version",
            "applies_to",
            "original_language",
            "title",
            "summary",
            "put_in_force_at",
            "steps",
        ]
