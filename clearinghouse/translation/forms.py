"""The forms of the translation pages; the rules are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.publishing import registry
from clearinghouse.translation.items import Field
from clearinghouse.translation.models import Kind, RequestState


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to translate"), choices=Kind.choices, required=False, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    note = forms.CharField(
        label=_("Note for the translators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, has_files: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_files:
            # Only a resource has files: anything else is asked for in its texts.
            self.fields["kind"].widget = forms.HiddenInput()

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or Kind.TEXTS)


class FileForm(forms.Form):
    # Optional: a file saved earlier may be submitted as it is.
    file = forms.FileField(label=_("The translated file"), required=False)


class QueueFilter(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGE_CHOICES]
    )
    record_type = forms.ChoiceField(label=_("Type of record"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            *[
                (record_type.code, record_type.model._meta.verbose_name_plural)
                for record_type in registry.record_types()
            ],
        ]
        self.fields["state"].choices = [("", _("Open")), *RequestState.choices]  # type: ignore[attr-defined]


class DraftForm(forms.Form):
    """One text box per translatable field, beside the source text (shown by the template)."""

    def __init__(self, *args: Any, fields: list[Field], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in fields:
            self.fields[field.name] = forms.CharField(
                label=field.label.capitalize(), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the translator change?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages translated into"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
