"""The catalogue lists published courses with filters; a course's page says what it teaches,
in the reader's language where the course has it (the original marked otherwise), in Arabic
right to left; trainers write a course on the web without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.learning import authoring
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests.course_factories import (  # noqa: F401
    make_course,
    outline,
    terms,
    vocabularies,
)
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")


@pytest.fixture
def courses(world: World) -> dict[str, Course]:
    finance = make_course(
        world,
        level="introductory",
        subjects=terms("SUBJ-FINANCE"),
        gbf_targets=terms("GBF-T19"),
        target_groups=terms("government"),
        duration_hours=6,
    )
    arabic = outline("ar")
    arabic["modules"][0]["title"] = {"ar": "لماذا نحتاج إلى خطة", "en": "Why a plan"}
    invasive = make_course(
        world,
        title="إدارة الأنواع الغريبة الغازية",
        language="ar",
        summary="كيف تمنع البلدان دخول الأنواع الغازية وتحد من انتشارها.",
        level="advanced",
        course_outline=arabic,
        subjects=terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
        target_groups=terms("iplc"),
    )
    draft = make_course(world, title="Biosafety risk assessment", publish=False)
    return {"finance": finance, "invasive": invasive, "draft": draft}


def _listed(client: Client, **query: str) -> str:
    return client.get("/en/learning/", query).content.decode()


def test_the_catalogue_lists_published_courses_with_their_facts(
    courses: dict[str, Course], client: Client
) -> None:
    page = _listed(client)
    assert "Developing a national biodiversity finance plan" in page
    assert "إدارة الأنواع الغريبة الغازية" in page
    # Drafts are not in the catalogue.
    assert "Biosafety risk assessment" not in page
    assert "6 hours" in page and "2 modules" in page and "In English" in page and "Introductory" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"level": "advanced"}, {"invasive"}),
        ({"language": "ar"}, {"invasive"}),
        ({"language": "en"}, {"finance"}),
        ({"subject": "SUBJ-FINANCE"}, {"finance"}),
        ({"target": "GBF-T19"}, {"finance"}),
        ({"target_group": "iplc"}, {"invasive"}),
        ({"q": "الغازية"}, {"invasive"}),
        # Words of the outline's titles find the course too.
        ({"q": "lesson 2 finance"}, {"finance", "invasive"}),
        ({"q": "nothing like this"}, set()),
        ({"target": "GBF-T99"}, set()),
    ],
)
def test_the_catalogue_filters(
    courses: dict[str, Course], client: Client, query: dict[str, str], found: set[str]
) -> None:
    page = _listed(client, **query)
    titles = {
        "finance": "Developing a national biodiversity finance plan",
        "invasive": "إدارة الأنواع الغريبة الغازية",
    }
    assert {key for key, title in titles.items() if title in page} == found


def test_the_course_page_in_arabic_is_right_to_left_with_its_outline(
    courses: dict[str, Course], client: Client
) -> None:
    course = courses["invasive"]
    page = client.get(f"/ar/learning/courses/{course.identifier}/").content.decode()
    assert 'dir="rtl"' in page
    assert "لماذا نحتاج إلى خطة" in page
    assert "كيف تمنع البلدان" in page
    assert "Nature Kenya" in page  # who offers it
    # The browser's title is plain text: the marks that set a text's language stay in the page.
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<span" not in title and "&lt;" not in title and title.strip()


def test_the_course_page_in_french_marks_texts_shown_in_their_original(
    courses: dict[str, Course], client: Client
) -> None:
    course = courses["invasive"]
    page = client.get(f"/fr/learning/courses/{course.identifier}/").content.decode()
    # No French title: the original Arabic one is shown, marked as such, in its direction.
    assert 'lang="ar" dir="rtl">لماذا نحتاج إلى خطة' in page
    assert "Lesson 1 on national finance plans" in page and "(arabe)" in page.lower()
    assert "Avancé" in page or "avancé" in page
    # No answer is on the public page.
    assert "prior informed consent" not in page


def test_the_course_page_shows_its_facts_and_a_draft_only_to_its_authors(
    courses: dict[str, Course], client: Client, world: World
) -> None:
    page = client.get(f"/en/learning/courses/{courses['finance'].identifier}/").content.decode()
    for text in (
        "What you will learn",
        "Module 1",
        "Check what you learnt",
        "5 questions, pass mark 60 %",
        "Government",
        "6 hours",
    ):
        assert text in page, text
    draft = courses["draft"]
    assert client.get(f"/en/learning/courses/{draft.identifier}/").status_code == 404
    client.force_login(world.trainer)
    assert client.get(f"/en/learning/courses/{draft.identifier}/").status_code == 200


def test_a_trainer_writes_and_submits_a_course_on_the_web(world: World, client: Client) -> None:
    client.force_login(world.trainer)
    assert client.get("/en/learning/new/").status_code == 200
    response = client.post(
        "/en/learning/new/",
        {
            "owner": f"organisation:{world.international.pk}",
            "original_language": "en",
            "title": "Monitoring frameworks for the GBF targets",
            "summary": "Indicators and how to report them.",
            "level": "intermediate",
            "completion_rule": "completed",
            "action": "save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get()
    base = f"/en/learning/courses/{course.identifier}/outline"
    assert (
        client.post(
            f"{base}/modules/new/",
            {"title": "Headline indicators", "language": "en", "base_revision": course.revision_number},
        ).status_code
        == 302
    )
    module = workflow.working_copy(course)[0].outline["modules"][0]["key"]
    course.refresh_from_db()
    response = client.post(
        f"{base}/modules/{module}/lessons/new/",
        {
            "title": "What a headline indicator is",
            "body": "<p>Text</p>",
            "downloads": "Guide https://example.org/g.pdf",
            "language": "en",
        },
    )
    assert response.status_code == 302
    # A bad quiz: the page says why and the draft is unchanged.
    revisions = Course.objects.get().revision_number
    response = client.post(
        f"{base}/modules/{module}/quizzes/new/single/",
        {
            "quiz-title": "Check",
            "quiz-pass_mark": "150",
            "quiz-max_attempts": "3",
            "quiz-draw": "0",
            "question-text": "Which?",
            "question-choice_1": "A",
            "question-correct_1": "on",
            "question-choice_2": "B",
            "question-correct_2": "on",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "The pass mark is a percentage from 0 to 100." in response.content.decode()
    assert Course.objects.get().revision_number == revisions
    response = client.post(
        f"{base}/modules/{module}/quizzes/new/single/",
        {
            "quiz-title": "Check",
            "quiz-pass_mark": "80",
            "quiz-max_attempts": "3",
            "quiz-draw": "0",
            "question-text": "Which?",
            "question-choice_1": "A",
            "question-correct_1": "on",
            "question-choice_2": "B",
            "question-correct_2": "on",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "a single-choice question has one right answer" in response.content.decode()
    assert Course.objects.get().revision_number == revisions
    response = client.post(
        f"{base}/modules/{module}/quizzes/new/true_false/",
        {
            "quiz-title": "Check",
            "quiz-pass_mark": "80",
            "quiz-max_attempts": "3",
            "quiz-draw": "0",
            "question-text": "True?",
            "question-answer": "true",
            "language": "en",
        },
    )
    assert response.status_code == 302
    working = workflow.working_copy(course)[0].outline
    assert outlines.problems(working) == []
    quiz = outlines.of_type(working, "quiz")[0]
    # The outline page in French shows what is still missing there.
    page = client.get(f"{base}/?language=fr").content.decode()
    assert "4 texts missing" in page or "texts of the course are not yet written" in page
    assert client.get(f"{base}/items/{quiz['key']}/?language=en").status_code == 200
    assert client.get(f"/en/learning/courses/{course.identifier}/preview/").status_code == 200
    response = client.post(f"/en/learning/courses/{course.identifier}/submit/")
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.state == State.SUBMITTED
    assert client.get("/en/learning/writing/").content.decode().count(course.identifier) >= 1


def test_people_who_write_no_courses_cannot_open_the_authoring_pages(
    courses: dict[str, Course], client: Client, world: World
) -> None:
    client.force_login(world.learner)
    assert client.get("/en/learning/new/").status_code == 403
    assert client.get(f"/en/learning/courses/{courses['finance'].identifier}/outline/").status_code == 403
    any_key: Any = courses["finance"].outline["modules"][0]["key"]
    assert (
        client.post(
            f"/en/learning/courses/{courses['finance'].identifier}/outline/{any_key}/delete/"
        ).status_code
        == 403
    )
    assert authoring  # the services refuse them too (test_authoring)
