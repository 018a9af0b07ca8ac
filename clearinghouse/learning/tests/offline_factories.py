"""Courses with outlines and enrolments for the offline and course package tests, made the way
trainers and reviewers make them: through the publishing workflow."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.learning import offline
from clearinghouse.learning.models import Course, Enrolment
from clearinghouse.organisations.models import Organisation
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State

LANGUAGES = ("en", "fr", "ar")


def texts(english: str, languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """The same text in each language, marked with its language (enough to tell pages apart)."""
    marks = {"en": "", "fr": "FR ", "ar": "عربي ", "zh": "中文 ", "ru": "РУ ", "es": "ES "}
    return {code: f"{marks[code]}{english}" for code in languages}


def questions(languages: tuple[str, ...] = LANGUAGES, tag: str = "1") -> list[dict[str, Any]]:
    """One question of every kind; keys end with ``tag`` (keys are unique in a whole outline)."""
    return [
        {
            "key": f"qs{tag}",
            "kind": "single",
            "text": texts("Which body adopted the Kunming-Montreal framework?", languages),
            "feedback": texts("COP 15 adopted it in December 2022.", languages),
            "choices": [
                {"key": f"qs{tag}a", "text": texts("COP 15", languages), "correct": True},
                {"key": f"qs{tag}b", "text": texts("The World Bank", languages), "correct": False},
            ],
        },
        {
            "key": f"qm{tag}",
            "kind": "multiple",
            "text": texts("Which are GBF targets on protected areas and restoration?", languages),
            "choices": [
                {"key": f"qm{tag}a", "text": texts("Target 2", languages), "correct": True},
                {"key": f"qm{tag}b", "text": texts("Target 3", languages), "correct": True},
                {"key": f"qm{tag}c", "text": texts("Target 16", languages), "correct": False},
            ],
        },
        {
            "key": f"qt{tag}",
            "kind": "true_false",
            "text": texts("The Convention entered into force in 1993.", languages),
            "answer": True,
        },
        {
            "key": f"qa{tag}",
            "kind": "short",
            "text": texts("What is the variety of life on Earth called?", languages),
            "accepted": {"en": ["biodiversity"], "fr": ["biodiversité"], "ar": ["التنوع البيولوجي"]},
        },
        {
            "key": f"qp{tag}",
            "kind": "matching",
            "text": texts("Match each protocol with its subject.", languages),
            "pairs": [
                {
                    "key": f"qp{tag}p1",
                    "left": texts("Cartagena", languages),
                    "right": texts("Biosafety", languages),
                },
                {
                    "key": f"qp{tag}p2",
                    "left": texts("Nagoya", languages),
                    "right": texts("Benefit-sharing", languages),
                },
            ],
        },
    ]


PARAGRAPH = (
    "National biodiversity strategies and action plans translate the global goals into national "
    "targets, with indicators, responsible institutions and a budget. "
)


def outline(
    modules: int = 2, languages: tuple[str, ...] = LANGUAGES, *, scorm: bool = False, **quiz: Any
) -> dict[str, Any]:
    """``modules`` modules, each with two lessons and a quiz with one question of every kind."""
    built = []
    for number in range(1, modules + 1):
        items: list[dict[str, Any]] = [
            {
                "key": f"m{number}l1",
                "type": "lesson",
                "title": texts(f"Lesson {number}.1", languages),
                "body": {
                    code: f"<p>{text}</p><p>{PARAGRAPH * 3}</p>"
                    for code, text in texts(f"Body {number}.1", languages).items()
                },
                "video_url": "https://video.example.org/nbsap.mp4",
                "transcript": texts("Transcript of the video.", languages),
                "files": [{"name": "Guide (PDF)", "url": "https://files.example.org/guide.pdf"}],
            },
            {
                "key": f"m{number}l2",
                "type": "lesson",
                "title": texts(f"Lesson {number}.2", languages),
                "body": {
                    code: f"<p>{text}</p>" for code, text in texts(f"Body {number}.2", languages).items()
                },
            },
            {
                "key": f"m{number}q",
                "type": "quiz",
                "title": texts(f"Quiz {number}", languages),
                "pass_mark": 60,
                "max_attempts": 3,
                "draw": 0,
                "closes_at": None,
                "questions": questions(languages, str(number)),
            }
            | quiz,
        ]
        if scorm and number == 1:
            items.append(
                {
                    "key": "s1",
                    "type": "scorm",
                    "title": texts("Interactive case", languages),
                    "package": "tok",
                }
            )
        built.append({"key": f"m{number}", "title": texts(f"Module {number}", languages), "items": items})
    return {"modules": built}


def values(**overrides: Any) -> dict[str, Any]:
    return {
        "original_language": "en",
        "title": texts("National biodiversity finance plans"),
        "summary": texts("How to plan the money for a national strategy."),
        "description": {"en": "<p>A course for finance ministries and focal points.</p>"},
        "level": "introductory",
        "completion_rule": "completed_and_passed",
        "outline": outline(),
    } | overrides


def draft(
    world: World, *, owner: Organisation | None = None, author: User | None = None, **overrides: Any
) -> Course:
    return workflow.create(
        Course,
        actor=author or world.partner_editor,
        owner=owner or world.kenyan_ngo,
        values=values(**overrides),
    )


def published(world: World, **overrides: Any) -> Course:
    """A course drafted and submitted through the workflow, then made public as its review would.
    The publication sets the row's state directly: publishing announces the change to the
    record-type registry, where courses are registered by the catalogue (not this part)."""
    course = draft(world, **overrides)
    workflow.submit(course, actor=world.partner_editor)
    Course.objects.filter(pk=course.pk).update(
        state=State.PUBLISHED, live=True, live_revision_number=F("revision_number")
    )
    return Course.objects.get(pk=course.pk)


def enrol(course: Course, person: User, language: str = "en") -> Enrolment:
    return Enrolment.objects.create(course=course, person=person, language=language)


@pytest.fixture(autouse=True)
def package_root(tmp_path: Path) -> Iterator[Path]:
    """Built packages and media go to this test's own directories (imported by the test modules)."""
    with override_settings(LEARNING_PACKAGE_ROOT=tmp_path / "packages", MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path


def lesson_entry(item: str, at: datetime | None = None) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "type": "lesson", "item": item, "at": (at or timezone.now()).isoformat()}


def attempt_entry(
    item: str, drawn: list[str], answers: dict[str, Any], at: datetime | None = None
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": "attempt",
        "item": item,
        "drawn": drawn,
        "answers": answers,
        "at": (at or timezone.now()).isoformat(),
    }


def progress_file(
    enrolment: Enrolment, entries: list[dict[str, Any]], *, key: str | None = None
) -> dict[str, Any]:
    """A progress file as offline.js writes it, signed with the enrolment's key (or another)."""
    signed = {
        "course": enrolment.course.identifier,
        "enrolment": enrolment.pk,
        "entries": entries,
        "format": "clearinghouse-offline-progress",
        "version": 1,
    }
    return signed | {"signature": offline.sign(key or offline.signing_key(enrolment), signed)}


RIGHT_ANSWERS = {
    "qs1": "qs1a",
    "qm1": ["qm1b", "qm1a"],
    "qt1": True,
    "qa1": " Biodiversité ",
    "qp1": {"qp1p1": "qp1p1", "qp1p2": "qp1p2"},
}
