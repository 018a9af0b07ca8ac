"""The forms of triage and of each step of a match; all plain HTML forms, no script needed."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking.currencies import validate_currency
from clearinghouse.matchmaking.models import CaseState, ContributionKind, CooperationKind
from clearinghouse.matchmaking.services import ContributionInput, CooperationInput
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.owners import owner_from_choice

_SATISFACTION = [("", "—"), *((str(value), str(value)) for value in range(1, 6))]


class _LanguageField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Written in"), choices=LANGUAGE_CHOICES, **kwargs)


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Open and in matchmaking")), *CaseState.choices]
    )


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    language = _LanguageField()
    resources = forms.CharField(
        label=_("Resources"),
        required=False,
        help_text=_("Identifiers of published resources, such as CB-RES-KE-000012, separated by spaces."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = content_language()

    def clean_resources(self) -> list[str]:
        return [item for item in re.split(r"[\s,;]+", self.cleaned_data["resources"]) if item]


class ShortlistForm(forms.Form):
    identifier = forms.CharField(
        label=_("Support record"), max_length=40, help_text=_("Its identifier, such as CB-OFFER-FR-000003.")
    )


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the provider"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AskForm(forms.Form):
    message = forms.CharField(
        label=_("What are you looking for?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class OutcomeForm(forms.Form):
    results = forms.CharField(label=_("Results"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))
    lessons = forms.CharField(
        label=_("Lessons learned"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    language = _LanguageField()
    satisfaction = forms.TypedChoiceField(
        label=_("Your satisfaction (1 to 5)"),
        choices=_SATISFACTION,
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = content_language()


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Your satisfaction (1 to 5)"), choices=_SATISFACTION[1:], coerce=int
    )


class CooperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of cooperation"), choices=CooperationKind.choices)
    description = forms.CharField(
        label=_("Description"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = _LanguageField()
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    other_parties = forms.CharField(
        label=_("Other partners"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = content_language()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end comes before the start."))
        return cleaned


class ContributionForm(forms.Form):
    contributor = forms.ChoiceField(label=_("Contributor"), required=False)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=Decimal(0), max_digits=16, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, validators=[validate_currency]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    description = forms.CharField(label=_("What it covers"), required=False, max_length=300)

    def __init__(self, *args: Any, contributors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contributor"].choices = [("", "—"), *contributors]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = [cleaned.get(name) not in (None, "") for name in ("contributor", "amount", "currency")]
        # A row left empty is no contribution; a row half filled is a mistake to point out.
        if any(given) and not all(given):
            raise forms.ValidationError(_("Give the contributor, the amount and the currency."))
        return cleaned

    def as_input(self) -> ContributionInput | None:
        data = self.cleaned_data
        if not data.get("contributor"):
            return None
        return ContributionInput(
            contributor=owner_from_choice(data["contributor"]),
            amount=data["amount"],
            currency=data["currency"].upper(),
            kind=data["kind"],
            description=data.get("description", ""),
        )


ContributionFormSet = forms.formset_factory(ContributionForm, extra=3, max_num=20)


def contributor_choices(*first: Country | Organisation) -> list[tuple[str, str]]:
    """The two sides first, then the Parties and the organisations of the directory."""

    def choice(owner: Country | Organisation) -> tuple[str, str]:
        if isinstance(owner, Country):
            return f"country:{owner.pk}", str(owner.name())
        return f"organisation:{owner.pk}", str(owner.display_name())

    chosen = [choice(owner) for owner in first]
    others = sorted(
        [choice(country) for country in Country.objects.filter(cbd_party=True)]
        + [choice(organisation) for organisation in Organisation.objects.all()],
        key=lambda item: item[1].casefold(),
    )
    return chosen + [item for item in others if item not in chosen]


def cooperation_input(form: CooperationForm, contributions: list[ContributionInput]) -> CooperationInput:
    data = form.cleaned_data
    return CooperationInput(
        kind=data["kind"],
        description=data["description"],
        language=data["language"],
        start_date=data["start_date"],
        end_date=data.get("end_date"),
        contributions=contributions,
        other_parties=[line.strip() for line in data.get("other_parties", "").splitlines() if line.strip()],
    )


class OfferHelpForm(forms.Form):
    """ "I can help": which of the person's published support records, and how it would help.
    The choice is kept as the record's identifier: the service says why another one cannot be
    proposed (someone else's, unpublished, closed)."""

    support = forms.CharField(label=_("The support you propose"), max_length=40, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("How you can help"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The requester and the help desk read it."),
    )

    def __init__(self, *args: Any, records: list[Record], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support"].widget.choices = [
            (record.identifier, f"{_title(record)} ({record._meta.verbose_name}, {record.identifier})")
            for record in records
        ]
        if len(records) == 1:
            self.fields["support"].initial = records[0].identifier

    def clean_support(self) -> str:
        return str(self.cleaned_data["support"]).strip().upper()


def _title(record: Record) -> str:
    texts = getattr(record, "title", None) or {}
    return show(texts, record.original_language).text or record.identifier
