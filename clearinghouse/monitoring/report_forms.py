"""Forms of the progress reports' pages: a new report for a period, and the narrative of every
section in one language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.monitoring.reports import SECTIONS
from clearinghouse.plan.models import FIRST_YEAR, LAST_YEAR


class NewReportForm(forms.Form):
    first_year = forms.IntegerField(
        label=gettext_lazy("First year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    last_year = forms.IntegerField(label=gettext_lazy("Last year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        first, last = values.get("first_year"), values.get("last_year")
        if first is not None and last is not None and last < first:
            raise ValidationError(_("The period ends before it starts."))
        return values


class NarrativeForm(forms.Form):
    """One text per section, in the language the form is for."""

    def __init__(self, *args: Any, language: str, initial_texts: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in SECTIONS.items():
            self.fields[code] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                initial=initial_texts.get(code, ""),
                widget=forms.Textarea(
                    attrs={"rows": 5, "lang": language, "dir": "rtl" if language == "ar" else "ltr"}
                ),
            )
