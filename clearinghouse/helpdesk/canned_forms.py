"""The canned answer form: a title and a text in each of the six languages, a desk (or shared)
and a topic."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.helpdesk.models import CannedAnswer, Desk, HelpTopic


class CannedAnswerForm(forms.Form):
    desk = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Desk.objects.filter(active=True),
        required=False,
        empty_label=_("Shared by every desk"),
    )
    topic = forms.ModelChoiceField(
        label=_("Help topic"), queryset=HelpTopic.objects.all(), required=False, empty_label=_("Any topic")
    )

    def __init__(self, *args: Any, answer: CannedAnswer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, language in LANGUAGE_CHOICES:
            direction = "rtl" if code == "ar" else "ltr"
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": language},
                required=False,
                max_length=200,
                initial=answer.title.get(code, "") if answer else "",
                widget=forms.TextInput(attrs={"lang": code, "dir": direction}),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text in %(language)s") % {"language": language},
                required=False,
                initial=answer.body.get(code, "") if answer else "",
                widget=forms.Textarea(attrs={"lang": code, "dir": direction, "rows": 6}),
            )
        if answer is not None:
            self.fields["desk"].initial = answer.desk_id
            self.fields["topic"].initial = answer.topic_id

    def languages(self) -> list[tuple[str, Any, forms.BoundField, forms.BoundField]]:
        """Per language: its code, its name, and its title and text fields."""
        return [(code, name, self[f"title_{code}"], self[f"body_{code}"]) for code, name in LANGUAGE_CHOICES]

    def texts(self, prefix: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{prefix}_{code}", "") for code, _name in LANGUAGE_CHOICES}
