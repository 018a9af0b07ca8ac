from __future__ import annotations

from typing import Any, cast

from babel import Locale
from django import forms
from django.conf import settings
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts import roles, tokens
from clearinghouse.accounts.models import Role, TokenScope, User
from clearinghouse.core.forms import FilterableSelectMultiple
from clearinghouse.core.text import sort_key
from clearinghouse.geo.forms import CountryChoiceField
from clearinghouse.geo.models import Country
from clearinghouse.organisations.forms import OrganisationChoiceField
from clearinghouse.organisations.models import Organisation
from clearinghouse.vocabularies.models import Term


def spoken_language_choices() -> list[tuple[str, str]]:
    """Every language with an ISO 639-1 code, named in the reader's language (CLDR via Babel)."""
    locale = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    names = {code: name for code, name in locale.languages.items() if len(code) == 2}
    return sorted(names.items(), key=lambda item: sort_key(item[1]))


class ProfileForm(forms.ModelForm[User]):
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=spoken_language_choices,
        widget=FilterableSelectMultiple(attrs={"size": 6}),
    )
    country = CountryChoiceField(label=_("Country"), required=False)
    organisation = OrganisationChoiceField(label=_("Organisation"), required=False)
    expertise = forms.ModelMultipleChoiceField(
        label=_("Areas of expertise"),
        required=False,
        queryset=Term.objects.filter(vocabulary__name="subjects", is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "organisation",
            "country",
            "preferred_language",
            "languages_spoken",
            "expertise",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class InvitationForm(forms.Form):
    """Invite someone to a role. The roles and Parties offered depend on who invites."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    country = CountryChoiceField(label=_("Party"), required=False, parties_only=True)
    organisation = OrganisationChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = cast(forms.ChoiceField, self.fields["role"])
        if roles.is_secretariat(actor):
            role.choices = Role.choices
        else:
            role.choices = [(Role.AUTHORISED_USER.value, Role.AUTHORISED_USER.label)]
            own_parties = Country.objects.filter(pk__in=roles.countries_for(actor, Role.FOCAL_POINT))
            cast(CountryChoiceField, self.fields["country"]).queryset = own_parties
            self.fields["country"].required = True
            if len(own_parties) == 1:
                self.fields["country"].initial = own_parties[0].pk
            del self.fields["organisation"]


class ApiTokenForm(forms.Form):
    """A new personal API token: its name, what it may do, and how long it lives."""

    name = forms.CharField(
        label=_("Name"),
        max_length=tokens.NAME_MAX_LENGTH,
        help_text=_("What the token is for, e.g. the script or service that uses it."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=list(tokens.LIFETIMES.items()),
        initial=tokens.DEFAULT_LIFETIME,
    )


class AccessRequestForm(forms.Form):
    """Ask a Party's focal point, or an organisation's editor, for a role there."""

    country = CountryChoiceField(
        label=_("Party"),
        required=False,
        parties_only=True,
        help_text=_("To register your country's needs and support: its focal point decides."),
    )
    organisation = OrganisationChoiceField(
        label=_("Or organisation"),
        required=False,
        help_text=_("To register your organisation's records: its editor decides."),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and what you will do on the platform."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("country")) == bool(cleaned.get("organisation")):
            raise forms.ValidationError(_("Choose either a Party or an organisation."), code="one_scope")
        return cleaned

    @property
    def scope(self) -> Country | Organisation:
        scope: Country | Organisation = self.cleaned_data.get("country") or self.cleaned_data["organisation"]
        return scope
