"""The peer exchange proposal: which of the peer Party's needs, whether a third party funds it
(triangular cooperation), and the message to the peer. A plain HTML form, no script needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.multilingual import show
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking.forms import contributor_choices
from clearinghouse.needs.models import Need
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing.owners import owner_from_choice


def need_title(need: Need) -> str:
    return show(need.title or {}, need.original_language).text or need.identifier


class ProposeExchangeForm(forms.Form):
    counterpart = forms.ChoiceField(
        label=_("Their need to exchange on"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The peer Party's similar need, or the need it addressed."),
    )
    funder = forms.ChoiceField(
        label=_("Funded by a third party (triangular cooperation)"),
        required=False,
        help_text=_("Leave empty for a South–South exchange between the two Parties."),
    )
    message = forms.CharField(
        label=_("Message to the peer Party"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would like to learn from each other; their focal points read it."),
    )

    def __init__(self, *args: Any, needs: list[Need], sides: tuple[Country, Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs = {need.identifier: need for need in needs}
        self.fields["counterpart"].choices = [  # type: ignore[attr-defined]
            (need.identifier, f"{need_title(need)} ({need.identifier}, {need.get_status_display()})")
            for need in needs
        ]
        funders = [choice for choice in contributor_choices() if choice[0] not in _keys(sides)]
        self.fields["funder"].choices = [("", "—"), *funders]  # type: ignore[attr-defined]

    def counterpart_need(self) -> Need | None:
        return self.needs.get(self.cleaned_data.get("counterpart") or "")

    def funder_owner(self) -> Country | Organisation | None:
        chosen = self.cleaned_data.get("funder")
        return owner_from_choice(chosen) if chosen else None


def _keys(sides: tuple[Country, Country]) -> set[str]:
    return {f"country:{country.pk}" for country in sides}
