"""Those who attended are invited once, in their language, with their own link; a reminder goes
once, shortly before the survey closes, to those who have not answered."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from clearinghouse.events import surveys
from clearinghouse.events.models import RegistrationStatus, Survey
from clearinghouse.events.tasks import send_survey_invitations_and_reminders
from clearinghouse.events.tests.survey_helpers import answers, make_event, open_survey, register

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_those_checked_in_are_invited_once_each_in_their_language(
    world: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    survey = open_survey(world)
    event = survey.event
    register(event, "Amani Otieno", language="fr")
    register(event, "Layla Haddad", language="ar")
    register(event, "Mei Wang", person=world.learner, language="en")  # her account says Chinese
    register(event, "No Show", checked_in=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_invitations_and_reminders.call_local() == (3, 0)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"amani.otieno@example.org", "layla.haddad@example.org", "mei.wang@example.org"}
    french = by_address["amani.otieno@example.org"]
    assert french.subject == "Votre évaluation de « Formation sur les espèces envahissantes »"
    token = survey.invitations.get(registration__name="Amani Otieno").token
    assert f"/fr/events/survey/{token}/" in french.body
    assert "/ar/events/survey/" in by_address["layla.haddad@example.org"].body
    assert "/zh/events/survey/" in by_address["mei.wang@example.org"].body
    survey.refresh_from_db()
    assert survey.invited_at is not None
    # The next runs send nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_invitations_and_reminders.call_local() == (0, 0)
    assert len(mail.outbox) == 3


def test_when_nobody_checked_in_the_confirmed_participants_are_invited(world: Any) -> None:
    survey = open_survey(world)
    register(survey.event, "Amani Otieno", checked_in=False)
    register(survey.event, "Waiting Person", checked_in=False, status=RegistrationStatus.WAITLISTED)
    assert surveys.send_invitations(survey) == 1
    assert list(survey.invitations.values_list("registration__name", flat=True)) == ["Amani Otieno"]


def test_a_survey_not_yet_open_waits_for_its_date_unless_the_organiser_sends_now(
    world: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    event = make_event(world)
    survey = surveys.create_survey(event, None, world.focal_point)
    surveys.add_question(survey, world.focal_point, language="en", text="Useful?", kind="yes_no")
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.now() + timedelta(days=2))
    register(event, "Amani Otieno")
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_due() == (0, 0)
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_invitations(survey, world.focal_point) == 1
    survey.refresh_from_db()
    assert survey.is_open()
    assert len(mail.outbox) == 1
    # A late check-in is invited by the next sending; the others are not written to again.
    register(event, "Late Comer")
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_invitations(survey, world.focal_point) == 1
    assert [message.to[0] for message in mail.outbox] == [
        "amani.otieno@example.org",
        "late.comer@example.org",
    ]


def test_a_closed_survey_invites_nobody(world: Any) -> None:
    survey = open_survey(world)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    register(survey.event, "Amani Otieno")
    with pytest.raises(ValidationError, match="closed"):
        surveys.send_invitations(survey, world.focal_point)
    assert not survey.invitations.exists()


def test_the_reminder_goes_once_a_week_before_closing_to_those_who_have_not_answered(
    world: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    survey = open_survey(world)
    for name in ("Amani Otieno", "Layla Haddad", "Pierre Dubois"):
        register(survey.event, name, language="fr" if name == "Pierre Dubois" else "en")
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(opens_at=now - timedelta(days=11))
    assert surveys.send_invitations(survey, now=now - timedelta(days=10)) == 3
    surveys.submit(survey.invitations.get(registration__name="Layla Haddad").token, answers(survey), "en")
    assert survey.closes_at is not None
    # Eight days before closing: too early.
    assert surveys.send_due(survey.closes_at - timedelta(days=8)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_due(survey.closes_at - timedelta(days=6)) == (0, 2)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "amani.otieno@example.org",
        "pierre.dubois@example.org",
    ]
    french = next(message for message in mail.outbox if message.to[0] == "pierre.dubois@example.org")
    assert french.subject.startswith("Rappel")
    survey.refresh_from_db()
    assert survey.reminded_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_due(survey.closes_at - timedelta(days=5)) == (0, 0)
        assert surveys.send_reminder(survey, survey.closes_at - timedelta(days=5)) == 0
    assert len(mail.outbox) == 2


def test_no_reminder_right_after_the_invitation_of_a_short_survey(world: Any) -> None:
    survey = open_survey(world)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() + timedelta(days=3))
    register(survey.event, "Amani Otieno")
    assert surveys.send_due() == (1, 0)
    survey.refresh_from_db()
    assert survey.reminded_at is None
