from __future__ import annotations

from typing import Any

from django import forms

from clearinghouse.harvest import mappings
from clearinghouse.harvest.models import Source


class SourceForm(forms.ModelForm[Source]):
    mapping = forms.ChoiceField(choices=())

    class Meta:
        model = Source
        fields = [
            "name",
            "url",
            "mapping",
            "record_url",
            "owner_country",
            "owner_organisation",
            "schedule",
            "enabled",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mapping"]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError("the mapping field is declared as a choice field above")
        field.choices = mappings.choices()
        field.label = Source._meta.get_field("mapping").verbose_name
