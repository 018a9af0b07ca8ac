"""The action plan's forms: progress, evidence and translations of an activity; and the field
every record type's form uses to name the activities a record serves."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.forms import FilterableSelectMultiple
from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.filtersets import OrganisationChoiceField
from clearinghouse.plan.models import ORIGINAL_LANGUAGE, Activity, EvidenceKind, Status, parse_period

# Identifiers typed in one field, separated by spaces, commas, semicolons or lines.
IDENTIFIER_SEPARATORS = re.compile(r"[\s,;]+")
ACTIVITIES_HELP = _("Monitoring counts the records of each activity from this.")


class ActivityChoiceField(forms.ModelMultipleChoiceField[Activity]):
    """The activities of the action plan, by number, with their text in the reader's language."""

    def label_from_instance(self, obj: Activity) -> str:
        text = show(obj.texts, obj.original_language).text
        return f"{obj.number} — {text[:160]}"


def activities_field(label: Any) -> ActivityChoiceField:
    """The action-plan activities a record serves, for any record type's form (optional)."""
    return ActivityChoiceField(
        Activity.objects.order_by("number"),
        label=label,
        required=False,
        help_text=ACTIVITIES_HELP,
        widget=FilterableSelectMultiple(attrs={"size": 8}),
    )


class ProgressForm(forms.Form):
    period = forms.CharField(
        label=_("Reporting period"),
        max_length=20,
        help_text=_("A year (2019) or a biennium of two consecutive years (2019-2020)."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, by whom, and what remains."),
    )
    note_language = forms.ChoiceField(label=_("Language of the note"), choices=LANGUAGE_CHOICES)
    lead = OrganisationChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.order_by("acronym", "name"),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note_language"].initial = content_language()

    def clean_period(self) -> str:
        # The service checks it too; here the message sits next to the field.
        try:
            return str(parse_period(self.cleaned_data["period"]))
        except ValidationError as error:
            raise ValidationError(error.message_dict["period"]) from error


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Address (URL)"), max_length=500, assume_scheme="https")
    identifier = forms.CharField(
        label=_("Platform record identifier"),
        max_length=60,
        required=False,
        help_text=_(
            "The identifier of the record on this platform, such as CB-RES-KE-000012, if there is one."
        ),
    )


class TranslationForm(forms.Form):
    """One language's version of an activity: its text, theme heading, partners, outputs and
    indicators."""

    text = forms.CharField(label=_("Activity"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, activity: Activity, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.language = language
        self.fields["text"].initial = activity.text_translations.get(language, "")
        if activity.theme:
            self.fields["theme"] = forms.CharField(
                label=_("Theme"),
                required=False,
                initial=activity.theme_translations.get(language, ""),
                help_text=_("Saved on every activity under this heading."),
            )
        if activity.partners_text:
            self.fields["partners"] = forms.CharField(
                label=_("Partners"),
                required=False,
                initial=activity.partners_translations.get(language, ""),
            )
        self.outputs = list(activity.outputs.all())
        self.indicators = list(activity.indicators.all())
        for prefix, items, label in (
            ("output", self.outputs, _("Expected output %(position)s")),
            ("indicator", self.indicators, _("Indicator %(position)s")),
        ):
            for item in items:
                self.fields[f"{prefix}_{item.position}"] = forms.CharField(
                    label=label % {"position": item.position},
                    required=False,
                    initial=item.translations.get(language, ""),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        # What is typed is in the language of the translation, whatever the interface's.
        for form_field in self.fields.values():
            form_field.widget.attrs.update({"lang": language, "dir": "ltr"})

    def pairs(self) -> list[tuple[forms.BoundField, str, str]]:
        """Each field with the text it translates and that text's language, side by side (some
        partners cells are written in English)."""
        activity = self.activity
        originals = {
            "text": activity.text_original,
            "theme": activity.theme,
            "partners": activity.partners_text,
        }
        originals.update({f"output_{item.position}": item.text for item in self.outputs})
        originals.update({f"indicator_{item.position}": item.text for item in self.indicators})
        languages = {"partners": activity.partners_text_language}
        return [(self[name], originals[name], languages.get(name, ORIGINAL_LANGUAGE)) for name in self.fields]

    def items(self, prefix: str) -> dict[int, str]:
        items = self.outputs if prefix == "output" else self.indicators
        return {item.position: self.cleaned_data.get(f"{prefix}_{item.position}", "") for item in items}


class ContributionForm(forms.Form):
    """What a partner says of an activity: the organisation it speaks for, and a description in
    one of the six languages. The service checks everything again; here messages sit by fields."""

    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(label=_("Language of the description"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OrganisationChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")
        if len(organisations) == 1:
            field.initial = organisations[0].pk
        self.fields["language"].initial = content_language()


class InterestForm(ContributionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = _(
            "How the organisation implements or intends to contribute to the activity."
        )


class ReportForm(ContributionForm):
    period = forms.CharField(
        label=_("Reporting period"),
        max_length=20,
        help_text=_("A year (2019) or a biennium of two consecutive years (2019-2020)."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.order_by("code"),
        required=False,
        widget=FilterableSelectMultiple(attrs={"size": 6}),
    )
    identifiers = forms.CharField(
        label=_("Platform record identifiers"),
        required=False,
        help_text=_("Published records of this platform that show the work, such as CB-RES-KE-000012."),
    )
    url = forms.CharField(label=_("Address (URL)"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = _("What the organisation did for the activity.")

    def clean_identifiers(self) -> list[str]:
        return [part for part in IDENTIFIER_SEPARATORS.split(self.cleaned_data["identifiers"]) if part]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The partner reads it."),
    )
