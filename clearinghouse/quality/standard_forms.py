"""The Secretariat's forms for a draft version: its title and summary (and a standard's review
settings), and each criterion or step, with every text in the six languages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.quality.models import Scale, Standard

# What each text field is called on the forms, with the longest text it takes.
TEXTS: Mapping[str, tuple[Any, int, bool]] = {
    "title": (_("Title in %(language)s"), 300, False),
    "summary": (_("Summary in %(language)s"), 2000, True),
    "group": (_("Group in %(language)s"), 200, False),
    "text": (_("Text in %(language)s"), 1000, True),
    "guidance": (_("Guidance in %(language)s"), 2000, True),
}


class _Multilingual(forms.Form):
    """A form with some texts in each of the six languages: ``<name>_<language>`` fields."""

    text_names: tuple[str, ...] = ()

    def __init__(
        self, *args: Any, initial_texts: Mapping[str, Mapping[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in self.text_names:
            label, longest, long_text = TEXTS[name]
            for code, language in LANGUAGE_CHOICES:
                attrs = {"lang": code, "dir": "rtl" if code == "ar" else "ltr"}
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=label % {"language": language},
                    required=False,
                    max_length=longest,
                    initial=(initial_texts or {}).get(name, {}).get(code, ""),
                    widget=forms.Textarea(attrs={**attrs, "rows": 3})
                    if long_text
                    else forms.TextInput(attrs=attrs),
                )

    def languages(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        """Per language: its code, its name and its fields, for a fieldset per language."""
        return [
            (code, language, [self[f"{name}_{code}"] for name in self.text_names])
            for code, language in LANGUAGE_CHOICES
        ]

    def other_fields(self) -> list[forms.BoundField]:
        """The fields that are not texts by language."""
        prefixes = tuple(f"{name}_" for name in self.text_names)
        return [self[name] for name in self.fields if not name.startswith(prefixes)]

    def texts(self, name: str) -> dict[str, str]:
        """{language: text} of one of the texts, as entered."""
        return {code: self.cleaned_data.get(f"{name}_{code}", "") for code, _language in LANGUAGE_CHOICES}


class VersionForm(_Multilingual):
    """A draft's title and summary; for a standard, how its reviews are run."""

    text_names = ("title", "summary")

    def __init__(self, *args: Any, document: Any, **kwargs: Any) -> None:
        super().__init__(
            *args, initial_texts={"title": document.title, "summary": document.summary}, **kwargs
        )
        if isinstance(document, Standard):
            self.fields["anonymous_reviews"] = forms.BooleanField(
                label=_("Reviewers' names are hidden from authors"),
                required=False,
                initial=document.anonymous_reviews,
            )
            self.fields["min_reviews"] = forms.IntegerField(
                label=_("Reviews needed before a judgment"),
                min_value=1,
                max_value=5,
                initial=document.min_reviews,
            )
            self.fields["max_rounds"] = forms.IntegerField(
                label=_("Rounds of review at most"), min_value=1, max_value=5, initial=document.max_rounds
            )

    def settings(self) -> dict[str, Any]:
        names = ("anonymous_reviews", "min_reviews", "max_rounds")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class CriterionForm(_Multilingual):
    """A criterion of a draft standard: the group it is listed under, its text, guidance and scale."""

    text_names = ("group", "text", "guidance")

    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices, initial=Scale.RATING)

    def values(self) -> dict[str, Any]:
        return {**{name: self.texts(name) for name in self.text_names}, "scale": self.cleaned_data["scale"]}


class StepForm(_Multilingual):
    """A step of a draft checklist template: its text, guidance, and whether evidence is required."""

    text_names = ("text", "guidance")

    evidence_required = forms.BooleanField(
        label=_("Evidence is required to tick it done"),
        required=False,
        help_text=_("A link, a file's name or a sentence saying what shows the step was done."),
    )

    def values(self) -> dict[str, Any]:
        return {
            **{name: self.texts(name) for name in self.text_names},
            "evidence_required": self.cleaned_data["evidence_required"],
        }
