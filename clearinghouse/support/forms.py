"""One single-page form per record type, built from the model's content fields (works
without JavaScript). Texts are typed in the record's language; translations have their own form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.forms import spoken_language_choices
from clearinghouse.core.forms import (
    ByLabelIterator,
    ContentLanguageField,
    FilterableSelect,
    FilterableSelectMultiple,
    currency_choices,
    require_for_submission,
)
from clearinghouse.core.multilingual import show
from clearinghouse.core.text import sort_key
from clearinghouse.geo.models import Country, CountryGroup, RegionalGroup
from clearinghouse.organisations.forms import OrganisationChoiceField
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.forms import activities_field
from clearinghouse.plan.models import Activity
from clearinghouse.support.models import Resource, SupportRecord
from clearinghouse.support.models.common import (
    model_field,
    validate_eligibility,
    validate_languages,
    validate_urls,
)
from clearinghouse.support.services import is_multilingual
from clearinghouse.vocabularies.forms import TermChoiceField
from clearinghouse.vocabularies.models import Term

# What an <input type="datetime-local"> sends.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
_LONG_TEXTS = {
    "description",
    "results",
    "lessons",
    "scope",
    "materials",
    "biography",
    "how_to_apply",
    "how_to_request",
    "availability_note",
}


def eligibility_choices() -> list[tuple[str, Any]]:
    """Everyone, the groups, then every country named in the reader's language."""
    groups: list[tuple[str, Any]] = [("global", _("Everyone (global)"))]
    groups += [(str(group.value), group.label) for group in RegionalGroup]
    groups += [(str(group.value), group.label) for group in CountryGroup]
    countries = sorted(
        ((country.code, country.name()) for country in Country.objects.all()),
        key=lambda item: sort_key(item[1]),
    )
    return [(str(_("Groups")), groups), (str(_("Countries")), countries)]


class UrlListField(forms.CharField):
    """Web addresses, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        urls = [line.strip() for line in str(text or "").splitlines() if line.strip()]
        validate_urls(urls)
        return urls


class OrganisationsChoiceField(forms.ModelMultipleChoiceField[Organisation]):
    """Several organisations (partners), named and sorted in the reader's language."""

    iterator = ByLabelIterator

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name()


class ResourceChoiceField(forms.ModelMultipleChoiceField[Resource]):
    """Published resources, by their title in the reader's language."""

    iterator = ByLabelIterator

    def label_from_instance(self, obj: Resource) -> str:
        return show(obj.title, obj.original_language).text or obj.identifier


def _form_field(model: type[SupportRecord], name: str) -> forms.Field:
    field = model_field(model, name)
    label, help_text = str(field.verbose_name).capitalize(), str(field.help_text or "")
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    if is_multilingual(model, name):
        widget = (
            forms.Textarea(attrs={"rows": 6 if name in model.RICH_FIELDS else 3})
            if name in _LONG_TEXTS
            else None
        )
        if name in model.RICH_FIELDS:
            # Shown as text (the form escapes help texts): the tags are named, not applied.
            common["help_text"] = _("You may use simple formatting: <p>, <strong>, <em>, lists and links.")
        return forms.CharField(max_length=20000 if widget else 500, widget=widget, **common)
    # Lists kept as JSON, known by what checks them (eligibility_field, languages_field, urls_field).
    if validate_eligibility in field.validators:
        return forms.MultipleChoiceField(
            choices=eligibility_choices, widget=FilterableSelectMultiple(attrs={"size": 8}), **common
        )
    if validate_languages in field.validators:
        return forms.MultipleChoiceField(
            choices=spoken_language_choices, widget=FilterableSelectMultiple(attrs={"size": 6}), **common
        )
    if validate_urls in field.validators:
        return UrlListField(**common | {"help_text": _("One web address a line.")})
    if name == "currency":
        return forms.ChoiceField(choices=currency_choices, widget=FilterableSelect, **common)
    if field.many_to_many and name in model.VOCABULARIES:
        terms = Term.objects.filter(vocabulary__name=model.VOCABULARIES[name], is_active=True)
        if name == "gbf_targets":
            terms = terms.filter(code__startswith="GBF-T")
        if name == "aichi_targets":
            terms = terms.filter(code__startswith="AICHI-T")
        return TermChoiceField(
            terms.order_by("position", "code"), widget=forms.CheckboxSelectMultiple, **common
        )
    if field.related_model is Country and field.many_to_many:
        countries = forms.ModelMultipleChoiceField(
            Country.objects.all(), widget=FilterableSelectMultiple(attrs={"size": 8}), **common
        )
        countries.iterator = ByLabelIterator
        return countries
    if field.related_model is Organisation:
        if not field.many_to_many:
            return OrganisationChoiceField(**common)
        return OrganisationsChoiceField(
            Organisation.objects.all(), widget=FilterableSelectMultiple(attrs={"size": 8}), **common
        )
    if field.related_model is Activity:
        return activities_field(label)
    if field.related_model is Resource and field.many_to_many:
        return ResourceChoiceField(
            Resource.objects.filter(live=True), widget=FilterableSelectMultiple(attrs={"size": 8}), **common
        )
    if isinstance(field, models.DateTimeField):
        # Read in the active time zone; a record type with a time zone of its own (an event)
        # reads the wall-clock time again in that zone.
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
            **common,
        )
    if isinstance(field, models.DateField):
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if isinstance(field, models.BooleanField):
        return forms.BooleanField(**common)
    form_field = field.formfield(required=False)
    if form_field is None:
        raise ValueError(f"no form field for {model.__name__}.{name}")
    form_field.label, form_field.help_text = label, help_text
    return form_field


class RecordForm(forms.Form):
    """Every content field of a record type. Saving a draft accepts gaps; what must be filled in
    before submission is the record type's ``submission_problems``."""

    def __init__(self, *args: Any, model: type[SupportRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model
        for name in model.CONTENT_FIELDS:
            if name != "original_language":
                self.fields[name] = _form_field(model, name)
        for name, _label in model.SUBMISSION_REQUIRED:
            if name in self.fields:
                require_for_submission(self.fields[name])

    @classmethod
    def initial_from(
        cls, model: type[SupportRecord], working: SupportRecord, many: dict[str, list[int]], language: str
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in model.CONTENT_FIELDS:
            if name == "original_language":
                continue
            value: Any = many[name] if name in many else getattr(working, model_field(model, name).attname)
            if is_multilingual(model, name):
                value = (value or {}).get(language, "")
            initial[name] = value
        return initial


class TranslationForm(forms.Form):
    """The record's texts in one more language."""

    def __init__(self, *args: Any, model: type[SupportRecord], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in model.CONTENT_FIELDS:
            if is_multilingual(model, name):
                self.fields[name] = _form_field(model, name)


class VersionForm(forms.Form):
    """A language version of a resource: a file, or a link."""

    language = ContentLanguageField(label=_("Language"))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Office or OpenDocument file, image, plain text, CSV, or ZIP of data."),
    )
    link = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("file")) == bool(data.get("link")):
            raise forms.ValidationError(_("Give either a file or a link."))
        return data


class ExpertInvitationForm(forms.Form):
    """Who the expert profile is about: they are written to, and look after it once they confirm."""

    expert_email = forms.EmailField(
        label=_("The expert's e-mail address"),
        required=False,
        max_length=254,
        help_text=_(
            "We write to the expert with a link: signed in with this address, they look after their own "
            "profile and decide what of it is public."
        ),
    )
