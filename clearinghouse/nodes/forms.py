"""The forms of the register of national clearing-house mechanisms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.core.forms import FilterableSelect
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.needs.models import Priority
from clearinghouse.nodes.models import Status, Technology
from clearinghouse.nodes.services import SUPPORT_TYPES
from clearinghouse.vocabularies.forms import TermChoiceField
from clearinghouse.vocabularies.models import Term

_DATE = forms.DateInput(attrs={"type": "date"})


class CHMForm(forms.Form):
    website = forms.URLField(label=_("Website"), max_length=500, required=False, assume_scheme="https")
    technology = forms.ChoiceField(
        label=_("Technology"), choices=[("", "—"), *Technology.choices], required=False
    )
    technology_detail = forms.CharField(
        label=_("Technology (details)"),
        max_length=200,
        required=False,
        help_text=_("The software or platform when it is none of those listed, or its version."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the site"),
        choices=spoken_language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    contact_office = forms.CharField(
        label=_("Office in charge"),
        max_length=300,
        required=False,
        help_text=_("Shown to everyone: the office's name, not a person's."),
    )
    contact_email = forms.EmailField(
        label=_("Public e-mail address"),
        required=False,
        help_text=_("Shown to everyone: the office's address, not a personal one."),
    )
    last_checked = forms.DateField(label=_("Last checked"), required=False, widget=_DATE)


class RegisterForm(CHMForm):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    status_since = forms.DateField(label=_("Status since"), widget=_DATE, initial=timezone.localdate)

    field_order = ["status", "status_since"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    since = forms.DateField(label=_("Since"), widget=_DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SupportRequestForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the request"), choices=LANGUAGE_CHOICES, widget=FilterableSelect
    )
    title = forms.CharField(label=_("What support is needed"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the national clearing-house mechanism lacks, and what the support should achieve."),
    )
    support_types = TermChoiceField(
        Term.objects.none(), label=_("Types of support wanted"), widget=forms.CheckboxSelectMultiple
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.HIGH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_types"].queryset = Term.objects.filter(  # type: ignore[attr-defined]
            vocabulary__name=SUPPORT_TYPES, is_active=True
        ).order_by("position", "code")
