"""The forms of a Party's national targets and reports pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.core.forms import FilterableSelect
from clearinghouse.national.models import GBF_VOCABULARY, ReportKind
from clearinghouse.vocabularies.forms import TermChoiceField
from clearinghouse.vocabularies.models import Term


def gbf_target_terms() -> Any:
    # The 23 targets, not the 2050 goals: a national target aligns with targets.
    return Term.objects.filter(
        vocabulary__name=GBF_VOCABULARY, is_active=True, code__startswith="GBF-T"
    ).order_by("position", "code")


class TargetForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("As the NBSAP numbers it, e.g. T3."))
    language = forms.ChoiceField(
        label=_("Language of the title and description"),
        choices=spoken_language_choices,
        widget=FilterableSelect,
        help_text=_("Choose another language to add a translation: the texts in other languages are kept."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    gbf_targets = TermChoiceField(
        Term.objects.none(),
        label=_("GBF targets it aligns with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    adopted_year = forms.IntegerField(label=_("Year adopted"), required=False, min_value=1992, max_value=2100)
    nbsap_name = forms.CharField(label=_("NBSAP it belongs to"), max_length=300, required=False)
    nbsap_year = forms.IntegerField(label=_("NBSAP year"), required=False, min_value=1992, max_value=2100)
    nbsap_url = forms.URLField(
        label=_("Link to the NBSAP"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gbf_targets"].queryset = gbf_target_terms()  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1992, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(
        label=_("Language"), choices=spoken_language_choices, widget=FilterableSelect
    )
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    document = forms.CharField(
        label=_("Document reference"),
        max_length=200,
        required=False,
        help_text=_("Where the document is kept when it has no link, e.g. CHM-NR7-KE-252780."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or UTF-8 .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
