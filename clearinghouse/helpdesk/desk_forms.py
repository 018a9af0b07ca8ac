"""Forms of the desk management pages: a desk's settings, its calendar (time zone, a row per
weekday with up to two opening periods, public holidays), a closed day, a service level, and a
help topic. Names are written in the six languages, one field each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import holidays
from babel import Locale
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from clearinghouse.core import time_zones
from clearinghouse.core.forms import ByLabelIterator
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.helpdesk.desks import eligible_agents
from clearinghouse.helpdesk.models import HelpTopic
from clearinghouse.organisations.models import Organisation

WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


class CountriesField(forms.ModelMultipleChoiceField[Country]):
    iterator = ByLabelIterator


def add_name_fields(form: forms.BaseForm, label: Any, initial: dict[str, str] | None) -> None:
    """One text field per language, ``name_<code>``, for a name kept as {code: text}."""
    for code, language in LANGUAGE_CHOICES:
        form.fields[f"name_{code}"] = forms.CharField(
            label=_("%(what)s in %(language)s") % {"what": label, "language": language},
            required=False,
            max_length=200,
            initial=(initial or {}).get(code, ""),
            widget=forms.TextInput(attrs={"lang": code, "dir": "rtl" if code == "ar" else "ltr"}),
        )


def names_of(cleaned: dict[str, Any]) -> dict[str, str]:
    return {
        code: cleaned[f"name_{code}"].strip()
        for code, _label in LANGUAGE_CHOICES
        if cleaned.get(f"name_{code}")
    }


RESERVED_CODES = frozenset({"manage", "topics"})


class DeskForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Letters, digits and hyphens, as in eastern-africa.")
    )
    is_central = forms.BooleanField(label=_("Central desk of the Secretariat"), required=False)
    host = forms.ModelChoiceField(
        label=_("Host institution"), queryset=Organisation.objects.order_by("name"), required=False
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Where requesters write and replies come from; empty: the platform's address."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages answered"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    countries = CountriesField(
        label=_("Parties served"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions served"),
        choices=RegionalGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Help topics"),
        queryset=HelpTopic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents"),
        queryset=eligible_agents(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People holding the help-desk agent role, or of the Secretariat."),
    )
    leads = forms.ModelMultipleChoiceField(
        label=_("Desk leads"),
        queryset=eligible_agents(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Told when a ticket misses its service level; they keep the desk's hours and levels."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_name_fields(self, _("Name"), names)

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        # A desk's queue is at /helpdesk/desks/<code>/: these addresses are the desks' settings.
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                _("The code %(code)s names a page of the help desk: choose another."),
                params={"code": code},
                code="reserved",
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not names_of(cleaned):
            self.add_error("name_en", _("Name the desk in at least one language."))
        return cleaned


def holiday_country_choices() -> list[tuple[str, str]]:
    """The countries whose public holidays the holidays package knows, named in the reader's language."""
    locale = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    codes = [code for code in holidays.list_supported_countries() if len(code) == 2]
    named = sorted(((code, locale.territories.get(code, code)) for code in codes), key=lambda pair: pair[1])
    return [("", _("None: closed days are entered by hand")), *named]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zones.names()]


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class CalendarForm(forms.Form):
    """Time zone, public holidays, and for each weekday up to two opening periods."""

    # Choices are callables: read (and named in the reader's language) for each form.
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, help_text=_("For example Africa/Nairobi.")
    )
    holiday_country = forms.ChoiceField(
        label=_("Public holidays of"), choices=holiday_country_choices, required=False
    )

    def __init__(self, *args: Any, hours: dict[str, list[list[str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = hours or {}
        for day, day_name in enumerate(WEEKDAYS):
            periods = hours.get(str(day), [])
            for number in (1, 2):
                period = periods[number - 1] if len(periods) >= number else ["", ""]
                opens = _time_field(
                    _("%(day)s, period %(number)s: opens") % {"day": day_name, "number": number}
                )
                closes = _time_field(
                    _("%(day)s, period %(number)s: closes") % {"day": day_name, "number": number}
                )
                opens.initial, closes.initial = period
                self.fields[f"d{day}_{number}_opens"] = opens
                self.fields[f"d{day}_{number}_closes"] = closes

    def rows(self) -> list[tuple[Any, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """One row per weekday: its name and its periods' (opens, closes) fields."""
        return [
            (name, [(self[f"d{day}_{number}_opens"], self[f"d{day}_{number}_closes"]) for number in (1, 2)])
            for day, name in enumerate(WEEKDAYS)
        ]

    def opening_hours(self) -> dict[str, list[list[str]]]:
        hours: dict[str, list[list[str]]] = {}
        for day in range(7):
            periods = []
            for number in (1, 2):
                opens = self.cleaned_data.get(f"d{day}_{number}_opens")
                closes = self.cleaned_data.get(f"d{day}_{number}_closes")
                if opens and closes:
                    periods.append([opens.strftime("%H:%M"), closes.strftime("%H:%M")])
                elif opens or closes:
                    self.add_error(
                        f"d{day}_{number}_opens" if closes else f"d{day}_{number}_closes",
                        _("Give both the opening and the closing time, or neither."),
                    )
            if periods:
                hours[str(day)] = periods
        return hours


class ClosureForm(forms.Form):
    date = forms.DateField(label=_("Closed on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class LevelForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Help topic"),
        queryset=HelpTopic.objects.all(),
        required=False,
        empty_label=_("Default: every other topic"),
    )
    first_response_hours = forms.DecimalField(
        label=_("First response within (business hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    resolution_hours = forms.DecimalField(
        label=_("Resolution within (business hours)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    warn_at_percent = forms.IntegerField(
        label=_("Warn at this percentage of the target"),
        initial=80,
        validators=[MinValueValidator(10), MaxValueValidator(99)],
    )


class TopicForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    active = forms.BooleanField(label=_("Offered on the question form"), required=False, initial=True)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    leads_to_matchmaking = forms.BooleanField(label=_("Usually a matchmaking case"), required=False)

    def __init__(self, *args: Any, names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_name_fields(self, _("Name"), names)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not names_of(cleaned):
            self.add_error("name_en", _("Name the topic in at least one language."))
        return cleaned
