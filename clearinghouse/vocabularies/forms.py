from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import CONTENT_LANGUAGES, LANGUAGE_CHOICES
from clearinghouse.vocabularies.models import Term, Vocabulary

# BCP 47 tags for the lang attribute: Chinese labels are in simplified characters.
_LANG_TAGS = {"zh": "zh-Hans"}


class TermChoiceField(forms.ModelMultipleChoiceField[Term]):
    """Terms of a vocabulary, each labelled in the reader's language."""

    def label_from_instance(self, obj: Term) -> str:
        return obj.label()


class LabelsWidget(forms.MultiWidget):
    """Six text inputs, one per language, each marked with its language and direction."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            code: forms.TextInput(
                attrs={
                    "lang": _LANG_TAGS.get(code, code),
                    "dir": "rtl" if code == "ar" else "ltr",
                    "aria-label": name,
                    "placeholder": name,
                    "size": 24,
                }
            )
            for code, name in LANGUAGE_CHOICES
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        labels = value if isinstance(value, dict) else {}
        return [str(labels.get(code, "")) for code in CONTENT_LANGUAGES]


class LabelsField(forms.MultiValueField):
    """A {language: text} mapping edited as six texts. The model's validator names any language
    left empty, which is more help than one "required" message."""

    widget = LabelsWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = tuple(forms.CharField(required=False, max_length=500) for _code in CONTENT_LANGUAGES)
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dict[str, str]:
        return dict(zip(CONTENT_LANGUAGES, data_list or [""] * len(CONTENT_LANGUAGES), strict=True))


class VocabularyForm(forms.ModelForm[Vocabulary]):
    titles = LabelsField(label=_("titles"))
    note = forms.CharField(
        label=_("what changed"),
        required=False,
        max_length=200,
        help_text=_("Kept with the revision that this save creates."),
    )

    class Meta:
        model = Vocabulary
        fields = ["name", "titles", "source"]


class TermForm(forms.ModelForm[Term]):
    labels = LabelsField(label=_("labels"))

    class Meta:
        model = Term
        fields = ["code", "labels", "parent", "maps_to", "position", "is_active"]

    def clean_parent(self) -> Term | None:
        parent: Term | None = self.cleaned_data.get("parent")
        ancestor = parent
        while ancestor is not None:
            if self.instance.pk is not None and ancestor.pk == self.instance.pk:
                raise forms.ValidationError(
                    _("A term cannot be placed under itself or its own narrower terms.")
                )
            ancestor = ancestor.parent
        return parent


class TermFormSet(BaseInlineFormSet[Term, Vocabulary, forms.ModelForm[Term]]):
    """The terms of one vocabulary: a parent is a term of the same vocabulary, and maps_to points
    at terms of the others. The choices are read once for the whole formset, not once per row."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._choices: dict[str, list[Any]] = {}
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.ModelForm[Term], index: int | None) -> None:
        super().add_fields(form, index)
        vocabulary_id = self.instance.pk
        querysets = {
            "parent": Term.objects.filter(vocabulary_id=vocabulary_id).order_by("position", "code"),
            "maps_to": Term.objects.exclude(vocabulary_id=vocabulary_id).order_by(
                "vocabulary__name", "position", "code"
            ),
        }
        for name, queryset in querysets.items():
            field: Any = form.fields[name]
            field.queryset = queryset
            if name not in self._choices:
                self._choices[name] = list(field.choices)
            field.choices = self._choices[name]
