"""The forms of enrolment: the learner's language of study and, with consent, the facts the
statistics count; the trainer's cohorts and invitations. Plain HTML forms; enrolment.py checks
the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import language_names, pick_label
from clearinghouse.events.models import Event, Gender, Sector
from clearinghouse.geo.models import Country
from clearinghouse.learning import enrolment as services
from clearinghouse.learning.models import Cohort, Course


def language_choices(course: Course) -> list[tuple[str, Any]]:
    return language_names(course.languages)


class EnrolForm(forms.Form):
    """The language of study and, only if the learner agrees, the facts statistics count."""

    language = forms.ChoiceField(label=_("Language of study"))
    consents_to_statistics = forms.BooleanField(
        label=_("My country, gender, sector and role may be counted in anonymous statistics"),
        required=False,
        help_text=_("Without your consent, none of the facts below is kept."),
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("code"), required=False
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    represents_iplc = forms.BooleanField(
        label=_("I represent an indigenous people or local community"), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    job_role = forms.CharField(label=_("Role or position"), max_length=120, required=False)

    def __init__(self, *args: Any, course: Course, language: str, profile: services.Profile, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(course)  # type: ignore[attr-defined]
        self.fields["language"].initial = language
        self.fields["country"].label_from_instance = lambda country: country.name()  # type: ignore[attr-defined]
        initial = {
            "consents_to_statistics": profile.consents,
            "country": profile.country,
            "gender": profile.gender,
            "represents_iplc": profile.represents_iplc,
            "sector": profile.sector,
            "job_role": profile.job_role,
        }
        for name, value in initial.items():
            self.fields[name].initial = value

    def profile(self) -> services.Profile:
        data = self.cleaned_data
        return services.Profile(
            consents=bool(data.get("consents_to_statistics")),
            country=data.get("country"),
            gender=data.get("gender", ""),
            represents_iplc=bool(data.get("represents_iplc")),
            sector=data.get("sector", ""),
            job_role=data.get("job_role", ""),
        )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of study"))

    def __init__(self, *args: Any, course: Course, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(course)  # type: ignore[attr-defined]


class _DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = _DateField(label=_("Studying starts on"))
    ends_on = _DateField(label=_("Studying ends on"))
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("Participants confirmed for this event who have an account are enrolled in the cohort."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        field.queryset = Event.objects.filter(live=True).order_by("-starts_at")  # type: ignore[attr-defined]
        field.label_from_instance = lambda event: f"{event.identifier} · {pick_label(event.title)}"  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or more addresses, separated by commas or on separate lines."),
    )
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none(), required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        help_text=_("People who have an account get it in their own language."),
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = course.cohorts.all()  # type: ignore[attr-defined]

    def clean_emails(self) -> list[str]:
        return services.parse_addresses(self.cleaned_data["emails"])
