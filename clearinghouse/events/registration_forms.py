"""The forms of registration: registering (with the event's own questions), nominating, the
organiser's settings and questions. Plain HTML forms; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import pick_label
from clearinghouse.events import registration as services
from clearinghouse.events.models import (
    Event,
    Gender,
    ParticipantRole,
    QuestionKind,
    RegistrationQuestion,
    Sector,
)
from clearinghouse.geo.models import Country

_YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def _country_field() -> forms.ModelChoiceField[Country]:
    return forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.order_by("code"),
        required=False,
        help_text=_("The country you come from or work for."),
    )


class RegistrationForm(forms.Form):
    """Who registers (name and e-mail only without an account), the facts, the answers, the
    consents."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    country = _country_field()
    organisation_name = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    represents_iplc = forms.BooleanField(
        label=_("I represent an indigenous people or local community"), required=False
    )
    youth = forms.BooleanField(label=_("I am under 35"), required=False)
    listed = forms.BooleanField(
        label=_("Show my name, organisation and country in the public list of participants"), required=False
    )
    contactable = forms.BooleanField(label=_("The organisers may contact me after the event"), required=False)

    def __init__(self, *args: Any, event: Event, with_identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if not with_identity:
            del self.fields["name"], self.fields["email"]
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = _question_field(question)
        self.fields["country"].label_from_instance = lambda country: country.name()  # type: ignore[attr-defined]

    def facts(self) -> services.Facts:
        data = self.cleaned_data
        return services.Facts(
            country=data.get("country"),
            organisation_name=data.get("organisation_name", ""),
            gender=data.get("gender", ""),
            represents_iplc=bool(data.get("represents_iplc")),
            youth=bool(data.get("youth")),
            sector=data.get("sector", ""),
        )

    def consents(self) -> services.Consents:
        return services.Consents(
            listed=bool(self.cleaned_data.get("listed")),
            contactable=bool(self.cleaned_data.get("contactable")),
        )

    def answers(self) -> dict[int, Any]:
        return {question.pk: self.cleaned_data.get(f"question_{question.pk}") for question in self.questions}


def _question_field(question: RegistrationQuestion) -> forms.Field:
    """A field for the question; whether the answer is required and among the choices the
    service checks too (a form posted by hand goes through the same rules)."""
    label = services.question_text(question)
    choices = [(str(index), pick_label(choice)) for index, choice in enumerate(question.choices)]
    common: dict[str, Any] = {"label": label, "required": question.required}
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=_YES_NO, **common)
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if question.kind == QuestionKind.CHOICES:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)


class NominationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    country = forms.ModelChoiceField(label=_("Party"), queryset=Country.objects.none())
    funded = forms.BooleanField(label=_("Funded participant"), required=False)

    def __init__(self, *args: Any, countries: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        field.queryset = Country.objects.filter(pk__in=countries).order_by("code")  # type: ignore[attr-defined]
        field.label_from_instance = lambda country: country.name()  # type: ignore[attr-defined]
        if len(countries) == 1:
            field.initial = next(iter(countries))


class _LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SettingsForm(forms.Form):
    """Times in the event's own time zone, as the organiser reads them on the page."""

    registration_opens_at = _LocalDateTimeField(label=_("Registration opens"), required=False)
    registration_closes_at = _LocalDateTimeField(label=_("Registration closes"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        max_value=services.MAX_PLACES,
        help_text=_("Empty: no limit."),
    )
    requires_approval = forms.BooleanField(
        label=_("The organisers approve each registration"), required=False
    )
    accepts_nominations = forms.BooleanField(
        label=_("National focal points nominate participants"), required=False
    )
    seat_offer_hours = forms.IntegerField(
        label=_("Hours to take up an offered place"), min_value=1, max_value=720, initial=48
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        self.event = event
        zone = event.zone
        initial: dict[str, Any] = {
            "registration_opens_at": event.registration_opens_at,
            "registration_closes_at": event.registration_closes_at,
            "capacity": event.capacity,
            "requires_approval": event.requires_approval,
            "accepts_nominations": event.accepts_nominations,
            "seat_offer_hours": event.seat_offer_hours,
        }
        for name in ("registration_opens_at", "registration_closes_at"):
            if initial[name]:
                initial[name] = timezone.localtime(initial[name], zone).replace(tzinfo=None)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name in ("registration_opens_at", "registration_closes_at"):
            self.fields[name].help_text = _("In the event's time zone (%(zone)s).") % {
                "zone": event.time_zone or "UTC"
            }

    def _in_zone(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        # The form read the wall time in the active time zone; it is the event's wall time.
        return value.replace(tzinfo=self.event.zone)

    def clean_registration_opens_at(self) -> Any:
        return self._in_zone("registration_opens_at")

    def clean_registration_closes_at(self) -> Any:
        return self._in_zone("registration_closes_at")

    def settings(self) -> services.Settings:
        data = self.cleaned_data
        return services.Settings(
            registration_opens_at=data["registration_opens_at"],
            registration_closes_at=data["registration_closes_at"],
            capacity=data["capacity"],
            requires_approval=bool(data["requires_approval"]),
            accepts_nominations=bool(data["accepts_nominations"]),
            seat_offer_hours=data["seat_offer_hours"],
        )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a question with choices: one choice a line."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    @classmethod
    def for_question(cls, question: RegistrationQuestion, data: Any = None) -> QuestionForm:
        initial = {
            "text": services.question_text(question),
            "kind": question.kind,
            "choices": "\n".join(pick_label(choice) for choice in question.choices),
            "required": question.required,
        }
        return cls(data, initial=initial)

    def values(self) -> services.QuestionInput:
        data = self.cleaned_data
        return services.QuestionInput(
            text=data["text"],
            kind=data["kind"],
            choices=data.get("choices", "").splitlines(),
            required=bool(data.get("required")),
        )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
