"""A trainer writes a course through the authoring services: every edit of the outline is one
step that leaves a sound outline or changes nothing, and says why in the trainer's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.learning import authoring
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests.course_factories import make_course, vocabularies  # noqa: F401
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")


def _working(course: Course) -> dict[str, Any]:
    working, _many = workflow.working_copy(course)
    return dict(working.outline)


@pytest.fixture
def draft(world: World) -> Course:
    return make_course(world, publish=False)


def test_a_trainer_builds_an_outline_part_by_part(world: World) -> None:
    course = make_course(world, course_outline={"modules": []}, publish=False)
    trainer = world.trainer
    module = authoring.add_module(course, actor=trainer, language="en", title="Why a finance plan")
    lesson = authoring.add_lesson(
        course,
        module,
        actor=trainer,
        language="en",
        values={
            "title": "The finance gap",
            "body": "<p>The gap is <strong>large</strong>.</p><script>alert(1)</script>",
            "video_url": "https://video.example.org/finance",
            "transcript": "What the video says.",
            "files": [{"name": "Guide", "url": "https://example.org/guide.pdf"}],
        },
    )
    quiz = authoring.add_quiz(
        course,
        module,
        actor=trainer,
        language="en",
        values={"title": "Check", "pass_mark": 70, "max_attempts": 2, "draw": 0, "closes_at": None},
        kind="true_false",
        question={"text": "Finance plans cost nothing.", "feedback": "", "answer": False},
    )
    authoring.add_question(
        course,
        quiz,
        actor=trainer,
        language="en",
        kind="single",
        values={
            "text": "Which target is on finance?",
            "feedback": "",
            "choices": [("Target 19", True), ("Target 3", False), ("", False)],
        },
    )
    authoring.add_question(
        course,
        quiz,
        actor=trainer,
        language="en",
        kind="short",
        values={"text": "Say BIOFIN", "feedback": "", "accepted": ["BIOFIN"]},
    )
    authoring.add_question(
        course,
        quiz,
        actor=trainer,
        language="en",
        kind="matching",
        values={
            "text": "Match",
            "feedback": "",
            "pairs": [("GBF-T19", "Finance"), ("GBF-T3", "Protected areas"), ("", "")],
        },
    )
    authoring.add_question(
        course,
        quiz,
        actor=trainer,
        language="en",
        kind="multiple",
        values={"text": "Which?", "feedback": "", "choices": [("A", True), ("B", True), ("C", False)]},
    )
    working = _working(course)
    assert outlines.problems(working) == []
    located = outlines.find(working, lesson)
    assert located is not None
    # The rich body is sanitised as the support app's descriptions are.
    assert located.item["body"] == {"en": "<p>The gap is <strong>large</strong>.</p>"}
    assert located.item["files"] == [{"name": "Guide", "url": "https://example.org/guide.pdf"}]
    quiz_item = outlines.find(working, quiz)
    assert quiz_item is not None
    kinds = [question["kind"] for question in quiz_item.item["questions"]]
    assert kinds == ["true_false", "single", "short", "matching", "multiple"]
    # Keys are short, random and unique across every part of the outline.
    assert len(authoring.all_keys(working)) == len(set(authoring.all_keys(working)))
    assert all(outlines.KEY.match(key) for key in authoring.all_keys(working))
    assert len(quiz_item.item["questions"][3]["pairs"]) == 2


def test_moving_and_deleting_keep_keys_and_order(draft: Course, world: World) -> None:
    before = [module["key"] for module in _working(draft)["modules"]]
    authoring.move(draft, before[1], authoring.UP, actor=world.trainer)
    assert [module["key"] for module in _working(draft)["modules"]] == [before[1], before[0]]
    # Moving the first part up leaves it first.
    authoring.move(draft, before[1], authoring.UP, actor=world.trainer)
    assert [module["key"] for module in _working(draft)["modules"]] == [before[1], before[0]]
    authoring.move(draft, "q1-tf", authoring.UP, actor=world.trainer)
    quiz = outlines.find(_working(draft), "q1")
    assert quiz is not None
    assert [q["key"] for q in quiz.item["questions"]][:3] == ["q1-single", "q1-tf", "q1-multiple"]
    authoring.delete(draft, before[0], actor=world.trainer)
    assert [module["key"] for module in _working(draft)["modules"]] == [before[1]]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda course, user: authoring.edit_quiz(
                course,
                "q1",
                actor=user,
                language="en",
                values={"title": "Check", "pass_mark": 150, "max_attempts": 1, "draw": 0, "closes_at": None},
            ),
            "the pass mark is a percentage from 0 to 100",
        ),
        (
            lambda course, user: authoring.edit_question(
                course,
                "q1",
                "q1-single",
                actor=user,
                language="en",
                values={"text": "Which?", "feedback": "", "choices": [("Nagoya", True), ("Kyoto", True)]},
            ),
            "a single-choice question has one right answer",
        ),
        (
            lambda course, user: authoring.edit_question(
                course,
                "q1",
                "q1-short",
                actor=user,
                language="en",
                values={"text": "PIC?", "feedback": "", "accepted": []},
            ),
            "give at least one accepted answer",
        ),
        (
            lambda course, user: authoring.edit_question(
                course,
                "q1",
                "q1-match",
                actor=user,
                language="en",
                values={"text": "Match", "feedback": "", "pairs": [("Cartagena", "Biosafety"), ("", "")]},
            ),
            "needs at least two pairs to match",
        ),
        (
            lambda course, user: authoring.edit_quiz(
                course,
                "q1",
                actor=user,
                language="en",
                values={"title": "Check", "pass_mark": 50, "max_attempts": 1, "draw": 9, "closes_at": None},
            ),
            "the number of questions drawn is at most the number in its bank",
        ),
        (
            lambda course, user: authoring.edit_module(course, "m1", actor=user, language="en", title=""),
            "is empty",
        ),
        (
            lambda course, user: authoring.edit_lesson(
                course,
                "l1",
                actor=user,
                language="en",
                values={"title": "Lesson", "video_url": "http://insecure.example.org/v"},
            ),
            "a video is linked by an https:// address",
        ),
    ],
    ids=[
        "pass-mark",
        "single-two-right",
        "short-no-answer",
        "matching-one-pair",
        "draw-too-many",
        "module-no-title",
        "video-http",
    ],
)
def test_a_bad_edit_leaves_the_draft_unchanged_and_says_why(
    draft: Course, world: World, edit: Any, message: str
) -> None:
    before = _working(draft)
    revisions = draft.revision_number
    with pytest.raises(ValidationError) as raised:
        edit(draft, world.trainer)
    assert any(message in text for text in raised.value.messages), raised.value.messages
    draft.refresh_from_db()
    assert draft.revision_number == revisions
    assert _working(draft) == before


def test_the_message_is_in_the_trainers_language(draft: Course, world: World) -> None:
    with translation.override("fr"), pytest.raises(ValidationError) as raised:
        authoring.edit_quiz(
            draft,
            "q1",
            actor=world.trainer,
            language="en",
            values={"title": "", "pass_mark": 50, "max_attempts": 0, "draw": 0, "closes_at": None},
        )
    assert any("est vide" in text for text in raised.value.messages), raised.value.messages


def test_deleting_the_last_question_of_a_quiz_is_refused(world: World) -> None:
    course = make_course(world, publish=False)
    for key in ("q1-single", "q1-multiple", "q1-tf", "q1-short"):
        authoring.delete(course, key, actor=world.trainer)
    with pytest.raises(ValidationError) as raised:
        authoring.delete(course, "q1-match", actor=world.trainer)
    assert any("has no questions" in text for text in raised.value.messages)


def test_a_second_language_is_written_beside_the_first(draft: Course, world: World) -> None:
    assert outlines.missing_in(_working(draft), "fr") > 0
    authoring.edit_module(draft, "m1", actor=world.trainer, language="fr", title="Module un")
    authoring.edit_question(
        draft,
        "q1",
        "q1-single",
        actor=world.trainer,
        language="fr",
        values={
            "text": "Quel protocole ?",
            "feedback": "",
            "choices": [("Protocole de Nagoya", True), ("Protocole de Kyoto", False)],
        },
    )
    working = _working(draft)
    assert working["modules"][0]["title"] == {"en": "Module 1", "fr": "Module un"}
    quiz = outlines.find(working, "q1")
    assert quiz is not None
    single = quiz.item["questions"][0]
    # The English texts and the keys stay; only the French ones are added.
    assert [choice["key"] for choice in single["choices"]] == ["q1-s1", "q1-s2"]
    assert single["choices"][0]["text"] == {"en": "Nagoya Protocol", "fr": "Protocole de Nagoya"}


def test_only_authors_change_a_course(draft: Course, world: World) -> None:
    for outsider in (world.learner, world.other_focal_point, world.helpdesk_agent):
        with pytest.raises(PermissionDenied):
            authoring.add_module(draft, actor=outsider, language="en", title="Mine now")
    # The owner organisation's editor writes its courses as its other records.
    authoring.add_module(draft, actor=world.partner_editor, language="en", title="Module by the editor")


def test_submitting_needs_an_outline_and_reviewers_publish(world: World) -> None:
    empty = make_course(world, course_outline={"modules": []}, publish=False)
    with pytest.raises(ValidationError):
        authoring.submit(empty, actor=world.trainer)
    course = make_course(world, publish=False)
    authoring.submit(course, actor=world.trainer)
    course.refresh_from_db()
    assert course.state == State.SUBMITTED
    # Waiting for review: nothing changes it.
    with pytest.raises(ValidationError):
        authoring.add_module(course, actor=world.trainer, language="en", title="Late")
    workflow.publish(course, actor=world.secretariat)
    course.refresh_from_db()
    assert course.live and course.languages == ["en"]
    # A change to the published course waits for review; the public outline stays.
    authoring.edit_module(course, "m1", actor=world.trainer, language="en", title="Renamed")
    course.refresh_from_db()
    assert course.outline["modules"][0]["title"] == {"en": "Module 1"}
    assert _working(course)["modules"][0]["title"] == {"en": "Renamed"}
