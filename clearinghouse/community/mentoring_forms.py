"""The forms of mentoring: asking, answering, goals, notes, ending and rating. They parse;
mentoring.py decides (the period, who may act, from which state)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clearinghouse.community import mentoring
from clearinghouse.vocabularies.models import Term


class SubjectField(forms.ModelChoiceField[Term]):
    def label_from_instance(self, obj: Term) -> str:
        return obj.label()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class AskForm(forms.Form):
    subject = SubjectField(
        label=_("Subject"),
        required=False,
        queryset=Term.objects.none(),
        empty_label=_("(none in particular)"),
    )
    topic = forms.CharField(
        label=_("What it is about"),
        max_length=mentoring.TOPIC_LENGTH,
        help_text=_("In a few words, for example: preparing our first national ABS permit."),
    )
    request = forms.CharField(
        label=_("Why this mentor, and what you hope for"),
        max_length=mentoring.REQUEST_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subjects = Term.objects.filter(vocabulary__name=mentoring.SUBJECTS, is_active=True)
        self.fields["subject"].queryset = subjects.select_related("vocabulary")  # type: ignore[attr-defined]
        self.fields["ends_on"].help_text = gettext("%(months)s months at most.") % {
            "months": mentoring.LONGEST_MONTHS
        }


class ReasonForm(forms.Form):
    """Declining or withdrawing (a reason if one wishes)."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=mentoring.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does it end early?"),
        max_length=mentoring.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals"),
        max_length=mentoring.GOALS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you agreed to reach together, and how you will work (how often you meet, how)."),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        max_length=mentoring.NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by the two of you only."),
    )


RATINGS = [(str(score), str(score)) for score in range(1, 6)]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating, from 1 (poor) to 5 (excellent)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=mentoring.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


FORMS: dict[str, type[forms.Form]] = {
    "decline": ReasonForm,
    "withdraw": ReasonForm,
    "end": EndForm,
    "start": GoalsForm,
    "goals": GoalsForm,
    "note": NoteForm,
    "rate": RateForm,
}
