"""The monitoring console's forms. They read the input; the services (services.py) decide and
check it again, so a value refused by a service comes back beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.monitoring.compute import Period
from clearinghouse.plan.models import Period as Years
from clearinghouse.plan.models import parse_period

PERIOD_HELP = _("A year (2025) or a biennium of two consecutive years (2025-2026).")


class YearsField(forms.CharField):
    """A reporting period: a year or a biennium, read as the action plan reads it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Reporting period"))
        kwargs.setdefault("help_text", PERIOD_HELP)
        super().__init__(max_length=20, **kwargs)

    def clean(self, value: Any) -> Years | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except ValidationError as error:
            raise ValidationError(error.message_dict["period"]) from error


class ComputeForm(forms.Form):
    """A year or a biennium, or the first and last days of any period."""

    years = YearsField(required=False)
    start = forms.DateField(
        label=_("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("the last day of a period", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        years, start, end = values.get("years"), values.get("start"), values.get("end")
        if self.errors:
            return values
        if years and (start or end):
            raise ValidationError(_("Give a year or a biennium, or the days of a period, not both."))
        if years:
            values["period"] = Period.years(years.start, years.end)
        elif start and end:
            if end < start:
                raise ValidationError(_("The period ends before it starts."))
            values["period"] = Period(start, end)
        else:
            raise ValidationError(
                _("Give a year or a biennium, or both the first and the last day of the period.")
            )
        return values


class ValueForm(forms.Form):
    years = YearsField()
    value = forms.FloatField(label=_("Value"), min_value=0)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where the value comes from: the documents, reports or counts it rests on."),
    )
    evidence_url = forms.URLField(
        label=_("Address of the evidence"), max_length=500, required=False, assume_scheme="https"
    )
    language = forms.ChoiceField(label=_("Language of the evidence"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = content_language()


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the submitter"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the person who entered the value."),
    )


class TargetForm(forms.Form):
    years = YearsField()
    value = forms.FloatField(label=_("Target"), min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Beside the baseline's form on one page: their fields need ids of their own.
        kwargs.setdefault("auto_id", "target-%s")
        super().__init__(*args, **kwargs)


class BaselineForm(forms.Form):
    year = forms.IntegerField(label=_("Baseline year"), min_value=2000, max_value=2100)
    value = forms.FloatField(label=_("Baseline value"), min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "baseline-%s")
        super().__init__(*args, **kwargs)
