"""The outline's pages, each a plain form: a trainer edits a lesson, adds and edits questions,
writes a second language, moves and deletes parts; a refused change shows why."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests.course_factories import make_course, vocabularies  # noqa: F401
from clearinghouse.publishing import workflow

pytestmark = pytest.mark.usefixtures("vocabularies")


def _working(course: Course) -> dict[str, Any]:
    return dict(workflow.working_copy(course)[0].outline)


@pytest.fixture
def signed_in(world: World, client: Client) -> Client:
    client.force_login(world.trainer)
    return client


def test_a_trainer_edits_every_part_on_its_page(world: World, signed_in: Client) -> None:
    course = make_course(world, publish=False)
    base = f"/en/learning/courses/{course.identifier}/outline"
    page = signed_in.get(f"{base}/items/l1/?language=en").content.decode()
    assert "Lesson 1 on national finance plans" in page and "Text of the lesson" in page
    response = signed_in.post(
        f"{base}/items/l1/",
        {
            "title": "Why plans matter",
            "body": "<p>New text</p>",
            "video_url": "https://v.example.org/1",
            "language": "en",
        },
    )
    assert response.status_code == 302
    lesson = outlines.find(_working(course), "l1")
    assert lesson is not None and lesson.item["title"] == {"en": "Why plans matter"}

    # The question's page shows its choices, ticked where right; a second language keeps them.
    page = signed_in.get(f"{base}/items/q1/questions/q1-single/?language=fr").content.decode()
    assert "Choice 1" in page and "Nagoya Protocol" in page
    response = signed_in.post(
        f"{base}/items/q1/questions/q1-single/",
        {
            "question-text": "Quel protocole régit l'accès et le partage des avantages ?",
            "question-choice_1": "Protocole de Nagoya",
            "question-correct_1": "on",
            "question-choice_2": "Protocole de Kyoto",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    single = outlines.question(outlines.find(_working(course), "q1").item, "q1-single")  # type: ignore[union-attr]
    assert single is not None and single["choices"][0]["text"]["fr"] == "Protocole de Nagoya"
    assert single["choices"][0]["text"]["en"] == "Nagoya Protocol"

    # A matching question added on its own form.
    response = signed_in.post(
        f"{base}/items/q1/questions/new/matching/",
        {
            "question-text": "Match",
            "question-left_1": "CBD",
            "question-right_1": "1992",
            "question-left_2": "Nagoya",
            "question-right_2": "2010",
            "language": "en",
        },
    )
    assert response.status_code == 302
    # A question moved on its quiz's page goes back there.
    quiz = outlines.find(_working(course), "q1")
    assert quiz is not None
    last = quiz.item["questions"][-1]["key"]
    response = signed_in.post(f"{base}/{last}/move/up/", {"language": "en", "quiz": "q1"})
    assert response["Location"].startswith(f"/en/learning/courses/{course.identifier}/outline/items/q1/")
    # Deleting asks first, then deletes.
    assert (
        "Delete this part of the course?" in signed_in.get(f"{base}/m1/delete/?language=en").content.decode()
    )
    assert signed_in.post(f"{base}/m1/delete/", {"language": "en"}).status_code == 302
    assert [module["key"] for module in _working(course)["modules"]] == ["m2"]


def test_a_refused_question_shows_why_and_changes_nothing(world: World, signed_in: Client) -> None:
    course = make_course(world, publish=False)
    before = _working(course)
    response = signed_in.post(
        f"/en/learning/courses/{course.identifier}/outline/items/q1/questions/q1-short/",
        {"question-text": "What does PIC stand for?", "question-accepted": "", "language": "en"},
    )
    assert response.status_code == 200
    assert "give at least one accepted answer" in response.content.decode()
    assert _working(course) == before
    response = signed_in.post(
        f"/en/learning/courses/{course.identifier}/outline/items/q1/questions/q1-match/",
        {
            "question-text": "Match",
            "question-left_1": "Cartagena Protocol",
            "question-right_1": "",
            "language": "en",
        },
    )
    assert "Give both sides of the pair, or neither." in response.content.decode()
    assert _working(course) == before
