"""A participant answers with their own link: once, while the survey is open, every answer
checked, nothing saved on error; an anonymous response is never linked to the person."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from clearinghouse.events import surveys
from clearinghouse.events.models import Survey, SurveyAnswer, SurveyInvitation, SurveyResponse
from clearinghouse.events.tests.survey_helpers import answers, fields, open_survey, register

pytestmark = pytest.mark.django_db


def invited(world: Any, *, anonymous: bool = True) -> tuple[Survey, SurveyInvitation]:
    survey = open_survey(world, anonymous=anonymous)
    register(survey.event, "Amani Otieno", language="fr")
    surveys.send_invitations(survey)
    return survey, survey.invitations.get()


def test_valid_answers_are_saved_once_per_question(world: Any) -> None:
    survey, invitation = invited(world)
    response = surveys.submit(invitation.token, answers(survey, text="  Very useful  "), "fr")
    rating_q, choice_q, choices_q, yes_no_q, text_q = survey.questions.all()
    saved = {(a.question_id, a.number, a.text) for a in response.answers.all()}
    assert saved == {
        (rating_q.pk, 4, ""),
        (choice_q.pk, 1, ""),
        (choices_q.pk, 0, ""),
        (choices_q.pk, 2, ""),
        (yes_no_q.pk, 1, ""),
        (text_q.pk, None, "Very useful"),
    }
    assert response.language == "fr"


def test_optional_questions_may_be_left_blank(world: Any) -> None:
    survey, invitation = invited(world)
    response = surveys.submit(
        invitation.token, answers(survey, choice="", choices=(), yes_no="", text=""), "en"
    )
    assert response.answers.count() == 1


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"rating": ""}, 0, "An answer is required."),
        ({"rating": "6"}, 0, "Choose a rating from 1 to 5."),
        ({"rating": "0"}, 0, "Choose a rating from 1 to 5."),
        ({"rating": "four"}, 0, "Choose a rating from 1 to 5."),
        ({"choice": "3"}, 1, "Choose among the answers given."),
        ({"choice": "-1"}, 1, "Choose among the answers given."),
        ({"choices": ("0", "0")}, 2, "Choose among the answers given."),
        ({"choices": ("1", "7")}, 2, "Choose among the answers given."),
        ({"yes_no": "maybe"}, 3, "Answer yes or no."),
        ({"text": "x" * 4001}, 4, "Write at most 4000 characters."),
    ],
)
def test_a_bad_answer_says_why_under_its_question_and_nothing_is_saved(
    world: Any, given: dict[str, Any], field: int, message: str
) -> None:
    survey, invitation = invited(world)
    with pytest.raises(ValidationError) as raised:
        surveys.submit(invitation.token, answers(survey, **given), "en")
    assert raised.value.message_dict == {fields(survey)[field]: [message]}
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_two_choices_for_a_one_choice_question_are_refused(world: Any) -> None:
    survey, invitation = invited(world)
    data = answers(survey)
    data[fields(survey)[1]] = ["0", "1"]
    with pytest.raises(ValidationError, match="Choose among the answers given"):
        surveys.submit(invitation.token, data, "en")


def test_answering_twice_is_refused_with_the_day_of_the_first(world: Any) -> None:
    survey, invitation = invited(world)
    surveys.submit(invitation.token, answers(survey), "en")
    today = timezone.localdate(timezone=survey.event.zone)
    day = formats.date_format(today, "DATE_FORMAT")
    with pytest.raises(ValidationError, match=re.escape(f"You answered this survey on {day}. Thank you.")):
        surveys.submit(invitation.token, answers(survey), "en")
    assert SurveyResponse.objects.count() == 1


def test_a_closed_or_not_yet_open_survey_says_so(world: Any) -> None:
    survey, invitation = invited(world)
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="This survey closed on"):
        surveys.submit(invitation.token, answers(survey), "en")
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="This survey opens on"):
        surveys.submit(invitation.token, answers(survey), "en")
    assert not SurveyResponse.objects.exists()


def test_a_wrong_token_is_refused(world: Any) -> None:
    survey, _invitation = invited(world)
    with pytest.raises(ValidationError, match="This link is not valid"):
        surveys.submit("not-a-token", answers(survey), "en")
    assert not SurveyResponse.objects.exists()


def test_an_anonymous_response_leads_to_nobody(world: Any) -> None:
    survey, invitation = invited(world)
    response = surveys.submit(invitation.token, answers(survey), "en")
    assert response.registration is None
    assert not invitation.registration.survey_responses.exists()
    invitation.refresh_from_db()
    # The invitation keeps the day only: its time cannot be set beside the responses'.
    assert invitation.answered_at is not None
    local = timezone.localtime(invitation.answered_at, survey.event.zone)
    assert local.time() == time.min
    assert local.date() == response.submitted_on


def test_a_named_response_is_linked_to_the_registration(world: Any) -> None:
    survey, invitation = invited(world, anonymous=False)
    response = surveys.submit(invitation.token, answers(survey), "en")
    assert response.registration == invitation.registration


def test_the_link_opens_the_survey_in_the_persons_language_with_the_original_as_fallback(
    world: Any, client: Any
) -> None:
    survey, invitation = invited(world)
    page = client.get(f"/fr/events/survey/{invitation.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="fr"' in html
    assert "Question 1 (fr)" in html and "Too short (fr)" in html
    # A text never written in French shows in the original, marked.
    survey.questions.filter(position=0).update(text={"en": "How relevant was it?"})
    html = client.get(f"/fr/events/survey/{invitation.token}/").content.decode()
    assert "How relevant was it?" in html and 'lang="en"' in html


def test_the_page_shows_errors_keeps_the_answers_and_then_thanks(world: Any, client: Any) -> None:
    survey, invitation = invited(world)
    url = reverse("events:survey_answer", args=[invitation.token])
    bad = answers(survey, rating="9", text="Keep this")
    response = client.post(url, bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a rating from 1 to 5." in html and "nothing was saved" in html and "Keep this" in html
    assert not SurveyResponse.objects.exists()
    assert client.post(url, answers(survey)).status_code == 200
    assert SurveyResponse.objects.count() == 1
    again = client.get(url).content.decode()
    assert (
        "You answered this survey on" in again
        and '<form method="post" class="stacked survey-form"' not in again
    )
    assert client.post(url, answers(survey)).status_code == 409
    assert SurveyResponse.objects.count() == 1


def test_an_unknown_link_gets_a_clear_page(client: Any, db: None) -> None:
    response = client.get(reverse("events:survey_answer", args=["nothing-here"]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
