from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting

from clearinghouse.geo.models import Country


class FormRenderer(TemplatesSetting):
    """Every form renders through the platform's own templates: labels, help and errors tied
    to their fields for assistive technology."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class _ByLabelIterator(ModelChoiceIterator):
    """Choices sorted by their label in the reader's language (names live in JSON, so the
    database cannot sort them)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: str(choice[1]).casefold())


class CountryChoiceField(forms.ModelChoiceField[Country]):
    """Countries named and sorted in the reader's language."""

    iterator = _ByLabelIterator

    def __init__(self, *args: Any, parties_only: bool = False, **kwargs: Any) -> None:
        queryset = Country.objects.filter(cbd_party=True) if parties_only else Country.objects.all()
        super().__init__(queryset, *args, **kwargs)

    def label_from_instance(self, obj: Country) -> str:
        return obj.name()
