from __future__ import annotations

from typing import Any

from django import forms

from clearinghouse.core.forms import ByLabelIterator, FilterableSelect
from clearinghouse.geo.models import Country


class CountryChoiceField(forms.ModelChoiceField[Country]):
    """Countries named and sorted in the reader's language."""

    iterator = ByLabelIterator
    widget = FilterableSelect

    def __init__(self, *args: Any, parties_only: bool = False, **kwargs: Any) -> None:
        queryset = Country.objects.filter(cbd_party=True) if parties_only else Country.objects.all()
        super().__init__(queryset, *args, **kwargs)

    def label_from_instance(self, obj: Country) -> str:
        return obj.name()
