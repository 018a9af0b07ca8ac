"""Forms of the follow-up: the organiser's number of months, and the alumnus's answer."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.community import follow_up
from clearinghouse.community.models import Applied


class FollowUpSetForm(forms.Form):
    months_after = forms.IntegerField(
        label=_("Ask the alumni this many months after they took part"),
        min_value=1,
        max_value=24,
        initial=6,
        help_text=_("Between 1 and 24. Changing it moves the dates of the requests not sent yet."),
    )


def _text(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=follow_up.ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class AnswerForm(forms.Form):
    applied = forms.ChoiceField(
        label=_("How much of it have you applied?"), choices=Applied.choices, widget=forms.RadioSelect
    )
    applied_how = _text(_("What did you apply, and how?"))
    changed = _text(_("What changed in your work or organisation?"))
    help_needed = _text(_("What help do you still need?"))
    then = forms.ChoiceField(label=_("And then"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, offers_need: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(follow_up.OPEN_NOTHING, _("Just send my answer"))]
        if offers_need:
            choices.append((follow_up.OPEN_NEED, _("Open a need for my country with the help I still need")))
        choices.append((follow_up.OPEN_TICKET, _("Ask the help desk for the help I still need")))
        then = cast(forms.ChoiceField, self.fields["then"])
        then.choices = choices
        then.initial = follow_up.OPEN_NOTHING

    def answer(self) -> follow_up.Answer:
        data = self.cleaned_data
        return follow_up.Answer(
            applied=data["applied"],
            applied_how=data["applied_how"],
            changed=data["changed"],
            help_needed=data["help_needed"],
            then=data.get("then") or follow_up.OPEN_NOTHING,
        )
