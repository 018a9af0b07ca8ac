"""The FAQ entry's edit form (question and answer in its original language, its topic and the
action-plan activities it serves) and
its translation form (the same texts in one more language)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.helpdesk.models import HelpTopic
from clearinghouse.plan.forms import activities_field

QUESTION_HELP = _("As a person would ask it. Take out anything that names the person who asked.")
ANSWER_HELP = _("The answer as the public will read it: no names, addresses or references of tickets.")


class FaqEntryForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=QUESTION_HELP,
    )
    answer = forms.CharField(
        label=_("Answer"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 10}), help_text=ANSWER_HELP
    )
    topic = forms.ModelChoiceField(
        label=_("Help topic"), queryset=HelpTopic.objects.all(), required=False, empty_label=_("No topic")
    )
    plan_activities = activities_field(_("Action-plan activities it serves"))

    def __init__(self, *args: Any, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The texts are written in the entry's language, whatever the page's.
        for name in ("question", "answer"):
            self.fields[name].widget.attrs.update(
                {"lang": language, "dir": "rtl" if language == "ar" else "auto"}
            )


class FaqTranslationForm(forms.Form):
    """For ``publishing.views.translation_page``: one field per multilingual text."""

    question = forms.CharField(
        label=_("Question"), max_length=1_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer = forms.CharField(
        label=_("Answer"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
