"""The forms of peer review: opening a round, assigning a reviewer, the review itself (one
answer per criterion of the round's standard), declining, judging and withdrawing. They parse;
review_services.py decides (who may act, from which state, on which scale)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts.models import User
from clearinghouse.core.multilingual import show
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import Criterion, Judgment, Standard


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class StandardField(forms.ModelChoiceField[Standard]):
    def label_from_instance(self, obj: Standard) -> str:
        title = show(obj.title, obj.original_language).text
        return f"{title} (v{obj.version})"


class OpenForm(forms.Form):
    standard = StandardField(label=_("Standard"), queryset=Standard.objects.none(), empty_label=None)
    due_on = forms.DateField(
        label=_("Reviews due (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Shown to the reviewers; the dashboard lists reviews not in by then."),
    )

    def __init__(self, *args: Any, standards: QuerySet[Standard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    reviewer = forms.CharField(
        label=_("Reviewer's e-mail address or user name"),
        max_length=254,
        help_text=_("Any active account except the item's authors."),
    )

    def clean_reviewer(self) -> User:
        wanted = self.cleaned_data["reviewer"].strip()
        found = User.objects.filter(Q(email__iexact=wanted) | Q(username__iexact=wanted), is_active=True)
        person = found.order_by("pk").first()
        if person is None:
            raise forms.ValidationError(
                _("No active account has this address or user name."), code="no_account"
            )
        return person


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        max_length=reviews.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For the Secretariat, who will ask someone else."),
    )


class JudgeForm(forms.Form):
    judgment = forms.ChoiceField(label=_("Judgment"), choices=Judgment.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What the authors should know"),
        required=False,
        max_length=reviews.NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when changes are needed or the standard is not met."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the round withdrawn?"),
        max_length=reviews.NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _scale_choices(criterion: Criterion) -> list[tuple[int, str]]:
    return [
        (value, reviews.scale_label(criterion.scale, value))
        for value in reviews.SCALE_VALUES[criterion.scale]
    ]


class ReviewForm(forms.Form):
    """One value and one comment per criterion, then the recommendation and the overall comment.
    The criteria's fields are named ``value_<pk>`` and ``comment_<pk>``, as the service names
    its refusals."""

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"), choices=Judgment.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Overall comment for the authors"),
        max_length=reviews.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"value_{criterion.pk}"] = forms.TypedChoiceField(
                label=show(criterion.text, criterion.standard.original_language).text,
                choices=_scale_choices(criterion),
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=reviews.ANSWER_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        """Each criterion with its two fields, for the template to lay out by group."""
        return [(c, self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def answers(self) -> dict[int, tuple[Any, str]]:
        data = self.cleaned_data
        return {c.pk: (data.get(f"value_{c.pk}"), data.get(f"comment_{c.pk}", "")) for c in self.criteria}
