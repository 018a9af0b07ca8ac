"""The action plan in the API: what the annex says of each activity, and its progress."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import (
    ORIGINAL_LANGUAGE,
    Activity,
    ActivityItem,
    ActivityProgress,
    Contribution,
    ContributionKind,
    Evidence,
)

TRANSLATIONS_HELP = (
    "Unofficial translations of the original, by ISO 639-1 code; absent where nobody has translated it yet."
)


class MultilingualTextSerializer(serializers.Serializer[dict[str, Any]]):
    """A text of the annex in its original language, with its translations."""

    language = serializers.CharField(
        help_text="Language of the original (ar: imported from the Arabic text)."
    )
    original = serializers.CharField(help_text="The text as the annex gives it.")
    translations = serializers.DictField(child=serializers.CharField(), help_text=TRANSLATIONS_HELP)


def multilingual(original: str, translations: dict[str, str]) -> dict[str, Any]:
    return {"language": ORIGINAL_LANGUAGE, "original": original, "translations": translations}


class ItemSerializer(serializers.Serializer[ActivityItem]):
    """An expected output or an indicator."""

    position = serializers.IntegerField(read_only=True, help_text="Its place in the annex's list, from 1.")
    text = serializers.SerializerMethodField()

    @extend_schema_field(MultilingualTextSerializer)
    def get_text(self, item: ActivityItem) -> dict[str, Any]:
        return multilingual(item.text, item.translations)


class PartnerSerializer(serializers.ModelSerializer[Organisation]):
    name = serializers.SerializerMethodField(
        help_text="The name in the request's language, else the original."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")

    class Meta:
        model = Organisation
        fields = ["id", "acronym", "name", "url"]
        read_only_fields = fields

    def get_name(self, organisation: Organisation) -> str:
        return organisation.display_name()


class LeadSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "acronym"]
        read_only_fields = fields


class ProgressSerializer(serializers.ModelSerializer[ActivityProgress]):
    period = serializers.CharField(help_text='A year ("2019") or a biennium ("2019-2020").')
    note_language = serializers.CharField(
        help_text="ISO 639-1 code of the note's language (ar, zh, en, fr, ru, es)."
    )
    lead = LeadSerializer(allow_null=True, help_text="The organisation leading the work, if given.")

    class Meta:
        model = ActivityProgress
        fields = ["period", "status", "note", "note_language", "lead", "recorded_at"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    identifier = serializers.CharField(
        help_text='Identifier of a record of this platform ("CB-RES-KE-000012"); empty when the '
        "evidence is elsewhere."
    )

    class Meta:
        model = Evidence
        fields = ["kind", "title", "url", "identifier", "added_at"]
        read_only_fields = fields


class ContributionSerializer(serializers.Serializer[Contribution]):
    """A partner's contribution the Secretariat accepted."""

    organisation_code = serializers.CharField(
        source="organisation.acronym", help_text="The organisation's acronym; empty when it has none."
    )
    organisation_name = serializers.SerializerMethodField(
        help_text="The organisation's name in the request's language, else the original."
    )
    kind = serializers.ChoiceField(
        choices=ContributionKind.choices,
        help_text="interest: the organisation implements or intends to contribute to the activity; "
        "report: what it did in a reporting period.",
    )
    period = serializers.CharField(
        help_text='Reports: a year ("2019") or a biennium ("2019-2020"); empty otherwise.'
    )
    period_start = serializers.IntegerField(
        allow_null=True, help_text="First year of the period; null for interest."
    )
    period_end = serializers.IntegerField(
        allow_null=True, help_text="Last year of the period; null for interest."
    )
    description = serializers.CharField(help_text="What the organisation says, in its language.")
    language = serializers.CharField(
        help_text="ISO 639-1 code of the description's language (ar, zh, en, fr, ru, es)."
    )
    identifiers = serializers.ListField(
        child=serializers.CharField(),
        help_text="Identifiers of the published platform records given as evidence.",
    )
    url = serializers.CharField(help_text="A web address given as evidence; empty when none.")
    accepted_at = serializers.DateTimeField(source="reviewed_at")

    def get_organisation_name(self, contribution: Contribution) -> str:
        return contribution.organisation.display_name()


class TimeframeSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(help_text='The time frame as the annex writes it ("2020-2017").')
    start_year = serializers.IntegerField(allow_null=True)
    end_year = serializers.IntegerField(allow_null=True)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    url = serializers.HyperlinkedIdentityField(view_name="api:plan-activity-detail", lookup_field="number")
    text = serializers.SerializerMethodField()
    theme = serializers.SerializerMethodField(
        help_text="The heading the activity stands under in section B (an Aichi target or a "
        "cross-cutting theme); null in sections A, C and D."
    )
    priority = serializers.BooleanField(help_text="Marked with an asterisk in the annex.")
    secretariat = serializers.BooleanField(help_text="Marked (S): the Secretariat has a role.")
    decisions = serializers.ListField(
        child=serializers.CharField(),
        help_text='The decisions the activity implements: "decision XII/2", "decision CP-VIII/7", '
        '"decision NP-I/8".',
    )
    timeframe = serializers.SerializerMethodField()
    outputs = ItemSerializer(many=True, help_text="Expected outputs, in the annex's order.")
    indicators = ItemSerializer(many=True, help_text="Indicators, in the annex's order.")
    partners = PartnerSerializer(many=True, help_text="Partners that are registered organisations.")
    partners_text = serializers.SerializerMethodField()
    other_partners = serializers.ListField(
        child=serializers.CharField(),
        help_text="Partner names of the annex that name no registered organisation.",
    )
    aichi_targets = serializers.SerializerMethodField()
    gbf_targets = serializers.SerializerMethodField()
    current_status = serializers.SerializerMethodField(
        help_text="The latest report (latest period, then latest recorded), which gives the current "
        "status; null before any."
    )
    progress = ProgressSerializer(many=True, help_text="Every progress report, newest first.")
    evidence = EvidenceSerializer(
        many=True, help_text="Links to what shows the activity's progress, newest first."
    )
    contributions = ContributionSerializer(
        many=True,
        source="accepted_contributions",
        help_text="Partners' contributions the Secretariat accepted, oldest first.",
    )

    class Meta:
        model = Activity
        fields = [
            "number",
            "url",
            "section",
            "theme",
            "text",
            "priority",
            "secretariat",
            "decisions",
            "timeframe",
            "outputs",
            "indicators",
            "partners",
            "partners_text",
            "other_partners",
            "aichi_targets",
            "gbf_targets",
            "current_status",
            "progress",
            "evidence",
            "contributions",
        ]
        read_only_fields = fields

    @extend_schema_field(MultilingualTextSerializer)
    def get_text(self, activity: Activity) -> dict[str, Any]:
        return multilingual(activity.text_original, activity.text_translations)

    @extend_schema_field(MultilingualTextSerializer(allow_null=True))
    def get_theme(self, activity: Activity) -> dict[str, Any] | None:
        return multilingual(activity.theme, activity.theme_translations) if activity.theme else None

    @extend_schema_field(MultilingualTextSerializer)
    def get_partners_text(self, activity: Activity) -> dict[str, Any]:
        """The partners cell as the annex writes it (empty when it names none)."""
        return multilingual(activity.partners_text, activity.partners_translations)

    @extend_schema_field(TimeframeSerializer)
    def get_timeframe(self, activity: Activity) -> dict[str, Any]:
        return {
            "text": activity.timeframe_text,
            "start_year": activity.start_year,
            "end_year": activity.end_year,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), help_text='Codes: "AICHI-T5".'))
    def get_aichi_targets(self, activity: Activity) -> list[str]:
        return [term.code for term in activity.aichi_targets.all()]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text='Codes ("GBF-T1") of the GBF targets its Aichi targets correspond to (derived).',
        )
    )
    def get_gbf_targets(self, activity: Activity) -> list[str]:
        return [term.code for term in activity.gbf_targets()]

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_current_status(self, activity: Activity) -> dict[str, Any] | None:
        # Progress is prefetched newest first: the latest period, then the latest report in it.
        latest = next(iter(activity.progress.all()), None)
        return ProgressSerializer(latest, context=self.context).data if latest else None
