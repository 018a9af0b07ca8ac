"""The organiser makes the event's survey from a template and edits it until the first answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clearinghouse.events import surveys
from clearinghouse.events.models import Survey, SurveyQuestion, SurveyQuestionKind, SurveyTemplate
from clearinghouse.events.tests.survey_helpers import (
    answers,
    invite_all,
    make_event,
    open_survey,
    register,
    training_template,
)

pytestmark = pytest.mark.django_db


def test_a_survey_from_a_template_copies_its_questions_and_opens_when_the_event_ends(world: Any) -> None:
    event = make_event(world)
    template = training_template()
    survey = surveys.create_survey(event, template, world.focal_point)
    questions = list(survey.questions.all())
    assert [q.text for q in questions] == [q["text"] for q in template.questions]
    assert [q.kind for q in questions] == [q["kind"] for q in template.questions]
    assert [q.position for q in questions] == list(range(len(template.questions)))
    assert survey.anonymous
    assert survey.opens_at == event.ends_at
    assert survey.closes_at == event.ends_at + timedelta(days=30)
    # The copy is the event's own: changing it leaves the shared template as it was.
    surveys.edit_question(questions[0], world.focal_point, language="en", text="Relevance?", kind="rating")
    template.refresh_from_db()
    assert template.questions[0]["text"]["en"] == "How relevant was the training to your work?"


def test_only_an_organiser_makes_the_survey_and_only_once(world: Any) -> None:
    event = make_event(world)
    with pytest.raises(PermissionDenied):
        surveys.create_survey(event, None, world.outsider)
    surveys.create_survey(event, None, world.secretariat)
    with pytest.raises(ValidationError, match="has its survey already"):
        surveys.create_survey(event, training_template(), world.focal_point)
    assert Survey.objects.count() == 1


def test_the_organiser_adds_edits_reorders_and_removes_questions(world: Any) -> None:
    survey = surveys.create_survey(make_event(world), None, world.focal_point)
    first = surveys.add_question(
        survey, world.focal_point, language="fr", text="Utile ?", kind="yes_no", required=True
    )
    second = surveys.add_question(
        survey,
        world.focal_point,
        language="fr",
        text="Durée ?",
        kind="choice",
        choices=["Courte", "", "Longue"],
    )
    assert second.choices == [{"fr": "Courte"}, {"fr": "Longue"}]
    # Written in English too: the same number of choices keeps the French labels beside.
    surveys.edit_question(
        second,
        world.focal_point,
        language="en",
        text="Length?",
        kind="choice",
        choices=["Short", "Long"],
        required=True,
    )
    second.refresh_from_db()
    assert second.text == {"fr": "Durée ?", "en": "Length?"}
    assert second.choices == [{"fr": "Courte", "en": "Short"}, {"fr": "Longue", "en": "Long"}]
    assert second.required
    surveys.move_question(second, world.focal_point, -1)
    assert list(survey.questions.values_list("pk", flat=True)) == [second.pk, first.pk]
    surveys.remove_question(second, world.focal_point)
    assert list(survey.questions.values_list("pk", "position")) == [(first.pk, 0)]


@pytest.mark.parametrize(
    ("kind", "text", "choices", "message"),
    [
        ("rating", "  ", [], "Write the question."),
        ("choice", "Length?", ["Only one"], "at least two choices"),
        ("choices", "Parts?", ["Talks", "Talks"], "must differ"),
        ("essay", "Thoughts?", [], "Choose a kind of question."),
    ],
)
def test_a_bad_question_is_refused_with_a_clear_message_and_nothing_saved(
    world: Any, kind: str, text: str, choices: list[str], message: str
) -> None:
    survey = surveys.create_survey(make_event(world), None, world.focal_point)
    with pytest.raises(ValidationError, match=message):
        surveys.add_question(survey, world.focal_point, language="en", text=text, kind=kind, choices=choices)
    assert not survey.questions.exists()


def test_questions_and_anonymity_are_fixed_after_the_first_answer(world: Any) -> None:
    survey = open_survey(world)
    register(survey.event, "Amani Otieno")
    invite_all(survey)
    surveys.submit(survey.invitations.get().token, answers(survey), "en")
    question = survey.questions.first()
    assert question is not None
    for change in (
        lambda: surveys.add_question(survey, world.focal_point, language="en", text="More?", kind="text"),
        lambda: surveys.edit_question(question, world.focal_point, language="en", text="New", kind="rating"),
        lambda: surveys.move_question(question, world.focal_point, 1),
        lambda: surveys.remove_question(question, world.focal_point),
    ):
        with pytest.raises(ValidationError, match="can no longer change"):
            change()
    assert SurveyQuestion.objects.get(pk=question.pk).text["en"] == "How relevant was it?"
    with pytest.raises(ValidationError, match="anonymous can no longer change"):
        surveys.save_settings(
            survey,
            world.focal_point,
            anonymous=False,
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            results_public=False,
        )
    survey.refresh_from_db()
    assert survey.anonymous


def test_a_survey_cannot_close_before_it_opens(world: Any) -> None:
    survey = surveys.create_survey(make_event(world), None, world.focal_point)
    assert survey.opens_at is not None
    with pytest.raises(ValidationError, match="close after it opens"):
        surveys.save_settings(
            survey,
            world.focal_point,
            anonymous=False,
            opens_at=survey.opens_at,
            closes_at=survey.opens_at - timedelta(hours=1),
            results_public=True,
        )
    survey.refresh_from_db()
    assert survey.anonymous and not survey.results_public


def test_the_organiser_page_makes_the_survey_and_edits_in_the_pages_language(world: Any, client: Any) -> None:
    event = make_event(world)
    template = training_template()
    client.force_login(world.focal_point)
    page = client.get(reverse("events:survey", args=[event.identifier]))
    assert page.status_code == 200
    assert "Training evaluation" in page.content.decode()
    client.post(reverse("events:survey_create", args=[event.identifier]), {"template": template.pk})
    survey = Survey.objects.get(event=event)
    question = survey.questions.first()
    assert question is not None
    with_french = f"/fr{reverse('events:survey_question_edit', args=[event.identifier, question.pk])[3:]}"
    response = client.post(
        with_french,
        {
            f"q{question.pk}-text": "Pertinence pour votre travail ?",
            f"q{question.pk}-kind": "rating",
            f"q{question.pk}-required": "on",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text["fr"] == "Pertinence pour votre travail ?"
    assert question.text["en"] == "How relevant was the training to your work?"
    page = client.get(reverse("events:survey", args=[event.identifier]))
    assert page.status_code == 200


def test_a_bad_question_on_the_page_says_why_and_saves_nothing(world: Any, client: Any) -> None:
    event = make_event(world)
    survey = surveys.create_survey(event, None, world.focal_point)
    client.force_login(world.focal_point)
    response = client.post(
        reverse("events:survey_question_add", args=[event.identifier]),
        {"new-text": "Length?", "new-kind": SurveyQuestionKind.CHOICE, "new-choices": "Short"},
    )
    assert response.status_code == 400
    assert "Give at least two choices, one a line." in response.content.decode()
    assert not survey.questions.exists()


def test_someone_who_does_not_organise_the_event_cannot_open_its_survey_pages(
    world: Any, client: Any
) -> None:
    event = make_event(world)
    surveys.create_survey(event, None, world.focal_point)
    client.force_login(world.outsider)
    assert client.get(reverse("events:survey", args=[event.identifier])).status_code == 403
    assert client.post(reverse("events:survey_invite", args=[event.identifier])).status_code == 403
    assert client.get(reverse("events:survey_export", args=[event.identifier, "csv"])).status_code == 403


def test_the_settings_page_reads_and_shows_times_in_the_events_time_zone(world: Any, client: Any) -> None:
    event = make_event(world)
    survey = surveys.create_survey(event, None, world.focal_point)
    client.force_login(world.focal_point)
    url = reverse("events:survey_settings", args=[event.identifier])
    response = client.post(
        url, {"opens_at": "2027-03-01T09:00", "closes_at": "2027-03-15T18:00", "results_public": "on"}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    # Nairobi is three hours ahead of UTC; the box left unticked makes the survey named.
    assert survey.opens_at == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
    assert survey.closes_at == datetime(2027, 3, 15, 15, 0, tzinfo=UTC)
    assert survey.results_public and not survey.anonymous
    page = client.get(reverse("events:survey", args=[event.identifier])).content.decode()
    assert 'value="2027-03-01T09:00"' in page and "Africa/Nairobi" in page
    bad = client.post(url, {"opens_at": "2027-03-15T09:00", "closes_at": "2027-03-01T09:00"})
    assert bad.status_code == 400 and "The survey must close after it opens." in bad.content.decode()
    survey.refresh_from_db()
    assert survey.opens_at == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def test_the_secretariat_shares_a_survey_as_a_template_and_withdraws_templates(
    world: Any, client: Any
) -> None:
    event = make_event(world)
    survey = surveys.create_survey(event, training_template(), world.focal_point)
    with pytest.raises(PermissionDenied):
        surveys.save_as_template(survey, world.focal_point)
    client.force_login(world.secretariat)
    client.post(reverse("events:survey_share", args=[event.identifier]))
    shared = SurveyTemplate.objects.get(name__en="Training on invasive species")
    assert [q["text"] for q in shared.questions] == [q.text for q in survey.questions.all()]
    page = client.get(reverse("events:survey_templates"))
    assert page.status_code == 200 and "Training on invasive species" in page.content.decode()
    client.post(reverse("events:survey_template_remove", args=[shared.pk]))
    assert not SurveyTemplate.objects.filter(pk=shared.pk).exists()
    # The event's survey keeps its questions: they were copied.
    assert survey.questions.count() == len(shared.questions)
    client.force_login(world.focal_point)
    assert client.get(reverse("events:survey_templates")).status_code == 403
