"""The forms of the offline pages: which template to download, what to upload for whom, what
to export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.geo.models import Country
from clearinghouse.needs.offline.export import FORMATS
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.owners import owners_for

Owner = Country | Organisation
FORMAT_LABELS = {"xlsx": _("Excel workbook (.xlsx)"), "csv": _("CSV"), "json": _("JSON")}


def owner_value(owner: Owner) -> str:
    return f"country:{owner.pk}" if isinstance(owner, Country) else f"organisation:{owner.pk}"


def _owner_label(owner: Owner) -> str:
    return owner.name() if isinstance(owner, Country) else owner.display_name()


class TemplateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the template"), choices=LANGUAGE_CHOICES)


class _OwnerForm(forms.Form):
    owner = forms.ChoiceField(label=_("For"), help_text=_("The Party or organisation the needs belong to."))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {owner_value(owner): owner for owner in owners_for(user)}
        choices = sorted(
            ((value, _owner_label(owner)) for value, owner in self.owners.items()),
            key=lambda choice: choice[1].casefold(),
        )
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # nosec B101  # narrows the type for mypy
        field.choices = choices
        if len(choices) == 1:
            field.initial = choices[0][0]

    def chosen_owner(self) -> Owner:
        return self.owners[self.cleaned_data["owner"]]


class UploadForm(_OwnerForm):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class SubmissionsForm(_OwnerForm):
    file = forms.FileField(
        label=_("Submissions exported from ODK Central or KoboToolbox (CSV or JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )


class ExportForm(_OwnerForm):
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[(name, label) for name, label in FORMAT_LABELS.items() if name in FORMATS],
    )
