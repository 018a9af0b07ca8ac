"""Forms of the round-table pages: the side, a short need or offer, a meeting request, an
answer, an outcome, the participants' filters and the organiser's proposal."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.events.models import MeetingPriority, Side
from clearinghouse.events.roundtables import MESSAGE_MAX
from clearinghouse.needs.formats import definition
from clearinghouse.publishing.owners import owner_choices, owner_from_choice
from clearinghouse.vocabularies.models import Term


def _terms(vocabulary: str) -> forms.ModelMultipleChoiceField[Term]:
    return forms.ModelMultipleChoiceField(
        queryset=Term.objects.filter(vocabulary__name=vocabulary, is_active=True).order_by(
            "position", "code"
        ),
        required=False,
    )


class SideForm(forms.Form):
    side = forms.ChoiceField(
        label=_("I come to the round table to"), choices=Side.choices, widget=forms.RadioSelect
    )


class ShortRecordForm(forms.Form):
    """A need or offer in a few words; the registry asks for the rest before review."""

    owner = forms.ChoiceField(label=_("For"))
    language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    support_types = _terms("support-types")
    subjects = _terms("subjects")
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    instruments = _terms("instruments")
    capacity_levels = _terms("capacity-levels")

    def __init__(self, *args: Any, user: Any, need: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owner_choices(user)
        self.fields["support_types"].label = _("Type of support")
        self.fields["subjects"].label = _("Subjects")
        self.fields["support_types"].required = True
        if need:
            priority = definition().form("need").field("priority")
            cast(forms.ChoiceField, self.fields["priority"]).choices = [
                ("", "—"),
                *((c.value, c.label()) for c in priority.choices),
            ]
            self.fields["instruments"].label = _("Convention or protocol")
            self.fields["capacity_levels"].label = _("Capacity levels")
        else:
            for name in ("priority", "instruments", "capacity_levels"):
                del self.fields[name]

    def chosen_owner(self) -> Any:
        return owner_from_choice(self.cleaned_data["owner"])


class MeetingRequestForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=MeetingPriority.choices, coerce=int, initial=MeetingPriority.WOULD_LIKE
    )
    message = forms.CharField(
        label=_("Message"), required=False, max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    about = forms.ChoiceField(label=_("About"), required=False)

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["about"]).choices = [("", _("Nothing in particular")), *items]


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BrowseForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", _("Both sides")), *Side.choices])
    country = forms.ChoiceField(label=_("Country"), required=False)
    term = forms.ChoiceField(label=_("Subject or GBF target"), required=False)

    def __init__(
        self, *args: Any, countries: list[tuple[str, str]], terms: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("All countries")), *countries]
        cast(forms.ChoiceField, self.fields["term"]).choices = [("", _("All")), *terms]


class ProposeForm(forms.Form):
    seeker = forms.IntegerField(widget=forms.HiddenInput)
    provider = forms.IntegerField(widget=forms.HiddenInput)
    about = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=MeetingPriority.choices, coerce=int, initial=MeetingPriority.WOULD_LIKE
    )
