"""Events, registrations and surveys made directly, for the survey tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events import surveys
from clearinghouse.events.models import (
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyTemplate,
)
from clearinghouse.publishing.models import State

SIX = ("ar", "zh", "en", "fr", "ru", "es")


def make_event(world: World, number: int = 1, *, ended_days_ago: int = 1) -> Event:
    """A training of Kenya's (its focal point organises it) that ended ``ended_days_ago`` days ago."""
    ends = timezone.now() - timedelta(days=ended_days_ago)
    return Event.objects.create(
        identifier=f"CB-EVENT-KE-{number:06d}",
        owner_country=world.kenya,
        original_language="en",
        title={"en": "Training on invasive species", "fr": "Formation sur les espèces envahissantes"},
        kind=EventKind.TRAINING,
        starts_at=ends - timedelta(days=2),
        ends_at=ends,
        time_zone="Africa/Nairobi",
        state=State.PUBLISHED,
        live=True,
    )


def register(
    event: Event,
    name: str,
    *,
    language: str = "en",
    checked_in: bool = True,
    person: Any = None,
    status: str = RegistrationStatus.CONFIRMED,
) -> Registration:
    return Registration.objects.create(
        event=event,
        person=person,
        name=name,
        email=f"{name.lower().replace(' ', '.')}@example.org",
        language=language,
        status=status,
        checked_in_at=event.starts_at if checked_in else None,
    )


def question(
    survey: Survey, kind: str, *, required: bool = False, choices: list[str] | None = None, text: str = ""
) -> SurveyQuestion:
    position = survey.questions.count()
    return SurveyQuestion.objects.create(
        survey=survey,
        position=position,
        text={"en": text or f"Question {position + 1}", "fr": f"Question {position + 1} (fr)"},
        kind=kind,
        choices=[{"en": label, "fr": f"{label} (fr)"} for label in choices or []],
        required=required,
    )


def open_survey(world: World, event: Event | None = None, *, anonymous: bool = True) -> Survey:
    """An open survey (opened yesterday, closes in 20 days) with one question of each kind."""
    event = event or make_event(world)
    now = timezone.now()
    survey = Survey.objects.create(
        event=event, anonymous=anonymous, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=20)
    )
    question(survey, SurveyQuestionKind.RATING, required=True, text="How relevant was it?")
    question(
        survey, SurveyQuestionKind.CHOICE, choices=["Too short", "About right", "Too long"], text="Length?"
    )
    question(
        survey, SurveyQuestionKind.CHOICES, choices=["Talks", "Group work", "Visits"], text="Useful parts?"
    )
    question(survey, SurveyQuestionKind.YES_NO, text="Recommend it?")
    question(survey, SurveyQuestionKind.TEXT, text="Comments?")
    return survey


def fields(survey: Survey) -> list[str]:
    return [f"q{pk}" for pk in survey.questions.values_list("pk", flat=True)]


def answers(
    survey: Survey,
    rating: str = "4",
    choice: str = "1",
    choices: tuple[str, ...] = ("0", "2"),
    yes_no: str = "yes",
    text: str = "Very useful",
) -> dict[str, list[str]]:
    rating_q, choice_q, choices_q, yes_no_q, text_q = fields(survey)
    return {
        rating_q: [rating] if rating else [],
        choice_q: [choice] if choice else [],
        choices_q: list(choices),
        yes_no_q: [yes_no] if yes_no else [],
        text_q: [text] if text else [],
    }


def invite_all(survey: Survey, now: datetime | None = None) -> None:
    surveys.send_invitations(survey, now=now)


def training_template() -> SurveyTemplate:
    surveys.load_templates()
    return SurveyTemplate.objects.get(name__en="Training evaluation")
