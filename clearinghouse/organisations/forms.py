from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.forms import ByLabelIterator
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.core.pictures import PictureField
from clearinghouse.geo.forms import CountryChoiceField
from clearinghouse.organisations.models import Organisation, OrganisationType


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    """Organisations named and sorted in the reader's language (most names of the action plan's
    partners are stored in Arabic, whose order means nothing to a French reader)."""

    iterator = ByLabelIterator

    def __init__(self, queryset: QuerySet[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(Organisation.objects.all() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name()


class OrganisationForm(forms.ModelForm[Organisation]):
    country = CountryChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Where it is based; leave empty for international organisations."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = PictureField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture, square if possible; shown small on its page and in lists."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_language",
            "acronym",
            "type",
            "country",
            "website",
            "email",
            "phone",
            "address",
            "logo",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One field per other language for the name's translations.
        translations = self.instance.name_translations if self.instance.pk else {}
        for code, label in LANGUAGE_CHOICES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": label},
                required=False,
                max_length=300,
                initial=translations.get(code, ""),
            )

    def save(self, commit: bool = True) -> Organisation:
        organisation = super().save(commit=False)
        organisation.name_translations = {
            code: self.cleaned_data[f"name_{code}"].strip()
            for code, _label in LANGUAGE_CHOICES
            if self.cleaned_data.get(f"name_{code}", "").strip() and code != organisation.name_language
        }
        if commit:
            organisation.save()
        return organisation


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or acronym"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrganisationType.choices]
    )
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("All countries"))
