"""The forms of ratings: the stars and a comment, a report of an abusive comment, and the
moderators' reason for hiding one. They parse; ratings.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.quality import ratings

STAR_CHOICES = [
    (5, _("5 — excellent")),
    (4, _("4 — good")),
    (3, _("3 — fair")),
    (2, _("2 — poor")),
    (1, _("1 — very poor")),
]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating, from 1 (very poor) to 5 (excellent)"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Give from 1 to 5 stars."),
            "invalid_choice": _("Give from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("What worked, what could be better. Up to 2,000 characters; shown with your name."),
        required=False,
        max_length=ratings.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is abusive in this comment?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the comment is hidden (kept for the moderators)"),
        max_length=500,
    )
