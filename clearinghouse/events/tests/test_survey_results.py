"""Results per question are exact; the public sees only figures, from five responses; the
organiser exports them; the event's page shows the survey's panel to whom it concerns."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from clearinghouse.events import surveys
from clearinghouse.events.models import Survey
from clearinghouse.events.tests.survey_helpers import answers, open_survey, register

pytestmark = pytest.mark.django_db

# Five people answer of six invited (one answer each row: rating, choice, choices, yes/no, text).
GIVEN = [
    ("5", "1", ("0", "2"), "yes", "Great"),
    ("4", "1", ("0",), "yes", ""),
    ("4", "0", (), "no", "More field work"),
    ("3", "", ("1", "2"), "", ""),
    ("2", "2", ("2",), "yes", ""),
]


def answered(world: Any, rows: list[tuple[str, str, tuple[str, ...], str, str]] = GIVEN) -> Survey:
    survey = open_survey(world)
    for number in range(6):
        register(survey.event, f"Participant {number}", person=world.learner if number == 5 else None)
    surveys.send_invitations(survey)
    tokens = list(survey.invitations.order_by("pk").values_list("token", flat=True))
    for token, (rating, choice, choices, yes_no, text) in zip(tokens, rows, strict=False):
        surveys.submit(token, answers(survey, rating, choice, choices, yes_no, text), "en")
    return survey


def figures_of(result: surveys.QuestionResult) -> list[tuple[str, int, float]]:
    return [(bar.label, bar.count, round(bar.percent, 2)) for bar in result.bars]


def test_the_figures_per_question_are_exact(world: Any) -> None:
    figures = surveys.results(answered(world), full=True)
    assert (figures.invited, figures.responses, round(figures.rate or 0, 2)) == (6, 5, 83.33)
    rating, choice, choices, yes_no, text = figures.questions
    assert rating.answered == 5 and rating.mean == pytest.approx(3.6)
    assert figures_of(rating) == [
        ("1", 0, 0.0),
        ("2", 1, 20.0),
        ("3", 1, 20.0),
        ("4", 2, 40.0),
        ("5", 1, 20.0),
    ]
    assert choice.answered == 4
    assert figures_of(choice) == [("Too short", 1, 25.0), ("About right", 2, 50.0), ("Too long", 1, 25.0)]
    # Several choices: shares of those who answered, adding up to more than 100.
    assert choices.answered == 4
    assert figures_of(choices) == [("Talks", 2, 50.0), ("Group work", 1, 25.0), ("Visits", 3, 75.0)]
    assert figures_of(yes_no) == [("Yes", 3, 75.0), ("No", 1, 25.0)]
    assert text.answered == 2 and text.texts == ["Great", "More field work"]


def test_the_public_sees_figures_without_text_and_nothing_for_questions_under_five_answers(
    world: Any,
) -> None:
    figures = surveys.results(answered(world), full=False)
    assert not figures.too_few
    rating, choice, _choices, _yes_no, text = figures.questions
    assert rating.mean == pytest.approx(3.6) and len(rating.bars) == 5
    assert choice.too_few and choice.bars == []
    assert text.texts == []


def test_under_five_responses_the_public_reads_too_few_answers_and_the_organiser_everything(
    world: Any, client: Any
) -> None:
    survey = answered(world, GIVEN[:4])
    Survey.objects.filter(pk=survey.pk).update(results_public=True)
    public = surveys.results(survey, full=False)
    assert public.too_few and public.questions == []
    page = client.get(reverse("events:survey_results", args=[survey.event.identifier]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Too few answers to show" in html and "More field work" not in html
    client.force_login(world.focal_point)
    html = client.get(reverse("events:survey_results", args=[survey.event.identifier])).content.decode()
    assert "More field work" in html and "Too few answers" not in html


def test_results_stay_with_the_organisers_until_made_public(world: Any, client: Any) -> None:
    survey = answered(world)
    url = reverse("events:survey_results", args=[survey.event.identifier])
    assert client.get(url).status_code == 404
    Survey.objects.filter(pk=survey.pk).update(results_public=True)
    html = client.get(url).content.decode()
    assert "Mean: 3.6 out of 5" in html
    assert "<svg" in html and "Great" not in html and "More field work" not in html


def test_the_chart_bars_start_from_the_right_in_arabic(world: Any, client: Any) -> None:
    survey = answered(world)
    client.force_login(world.focal_point)
    path = reverse("events:survey_results", args=[survey.event.identifier])
    arabic = client.get(f"/ar{path[3:]}").content.decode()
    assert 'dir="rtl"' in arabic
    # The 40 % bar of rating 4 starts at 60 from the left, so it grows from the right edge.
    assert 'x="60.00" y="0" width="40.00"' in arabic
    assert 'x="0" y="0" width="40.00"' in client.get(path).content.decode()


def test_the_organiser_exports_the_results_as_csv_and_as_a_workbook(world: Any, client: Any) -> None:
    survey = answered(world)
    client.force_login(world.focal_point)
    response = client.get(reverse("events:survey_export", args=[survey.event.identifier, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Question number", "Question", "Kind", "Answer", "Count", "Per cent", "Mean"]
    assert ["", "Responses", "", "", "5", "83.3", ""] in rows
    assert ["1", "How relevant was it?", "Rating from 1 to 5", "Answered", "5", "", "3.6"] in rows
    assert ["3", "Useful parts?", "Several choices", "Visits", "3", "75.0", ""] in rows
    assert ["5", "Comments?", "Text", "More field work", "", "", ""] in rows
    with translation.override("ar"):
        content = surveys.export(surveys.results(survey, full=True), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet.sheet_view.rightToLeft
    assert sheet.max_row == len(rows)
    assert [cell.value for cell in sheet[4]][:2] == [1, "How relevant was it?"]
    assert ([cell.value for cell in sheet[4]][4], [cell.value for cell in sheet[4]][6]) == (5, 3.6)


def test_a_text_answer_that_looks_like_a_formula_is_exported_as_text(world: Any) -> None:
    survey = answered(world, [("4", "", (), "", '=HYPERLINK("http://x")')])
    rows = list(
        csv.reader(io.StringIO(surveys.export(surveys.results(survey, full=True), "csv").decode("utf-8-sig")))
    )
    assert ["5", "Comments?", "Text", '\'=HYPERLINK("http://x")', "", "", ""] in rows


def render_panel(survey: Survey, user: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("events/survey/panel.html", {"event": survey.event}, request=request)


def test_the_panel_asks_a_participant_to_evaluate_and_shows_organisers_the_response_rate(world: Any) -> None:
    survey = answered(world)
    invitation = survey.invitations.get(registration__person=world.learner)
    participant = render_panel(survey, world.learner)
    assert "Evaluate this event" in participant
    assert reverse("events:survey_answer", args=[invitation.token]) in participant
    organiser = render_panel(survey, world.focal_point)
    assert "5 responses of 6 invited (83 %)" in organiser
    assert reverse("events:survey_results", args=[survey.event.identifier]) in organiser
    assert "Evaluate this event" not in render_panel(survey, world.outsider)
    surveys.submit(invitation.token, answers(survey), "en")
    assert "Evaluate this event" not in render_panel(survey, world.learner)


def test_the_event_page_carries_the_survey_panel(world: Any, client: Any) -> None:
    survey = answered(world)
    client.force_login(world.learner)
    page = client.get(survey.event.get_absolute_url())
    assert page.status_code == 200
    assert "Evaluate this event" in page.content.decode()
