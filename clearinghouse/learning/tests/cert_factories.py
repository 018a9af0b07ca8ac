"""Courses with outlines, and enrolments, for the certificate, badge and statistics tests; made
directly (the catalogue and enrolment services are tested on their own). A learner completes a
course through progress.record, the service every way of learning ends in."""

from __future__ import annotations

from decimal import Decimal
from itertools import count
from typing import Any

from clearinghouse.core.testing import World
from clearinghouse.learning import progress
from clearinghouse.learning.models import CompletionRule, Course, Enrolment

_numbers = count(1)

TITLES = {
    "en": "Introduction to invasive alien species",
    "fr": "Introduction aux espèces exotiques envahissantes",
    "ar": "مقدمة في الأنواع الغريبة الغازية",
    "zh": "外来入侵物种导论",
}


def _texts(english: str) -> dict[str, str]:
    return {"en": english, "fr": f"{english} (fr)", "ar": f"{english} (ar)", "zh": f"{english} (zh)"}


def outline(*, quiz: bool = True) -> dict[str, Any]:
    """One module: two lessons and, unless ``quiz`` is False, a quiz of one question."""
    items: list[dict[str, Any]] = [
        {
            "key": "l1",
            "type": "lesson",
            "title": _texts("What invasive species are"),
            "body": _texts("<p>Text</p>"),
        },
        {"key": "l2", "type": "lesson", "title": _texts("Pathways"), "body": _texts("<p>Text</p>")},
    ]
    if quiz:
        items.append(
            {
                "key": "q1",
                "type": "quiz",
                "title": _texts("Check yourself"),
                "pass_mark": 70,
                "max_attempts": 3,
                "draw": 0,
                "questions": [
                    {"key": "x1", "kind": "true_false", "text": _texts("Pathways matter."), "answer": True}
                ],
            }
        )
    return {"modules": [{"key": "m1", "title": _texts("Basics"), "items": items}]}


def make_course(world: World, *, quiz: bool = True, **values: Any) -> Course:
    number = next(_numbers)
    defaults: dict[str, Any] = {
        "identifier": f"CB-COURSE-KE-{number:06d}",
        "owner_country": world.kenya,
        "original_language": "en",
        "title": {code: f"{text} {number}" for code, text in TITLES.items()},
        "summary": _texts("Learn to recognise invasive alien species and their pathways."),
        "level": "introductory",
        "duration_hours": Decimal("4.0"),
        "completion_rule": CompletionRule.COMPLETED_AND_PASSED,
        "outline": outline(quiz=quiz),
        "state": "published",
        "live": True,
    }
    return Course.objects.create(**(defaults | values))


def enrol(course: Course, person: Any, **values: Any) -> Enrolment:
    return Enrolment.objects.create(course=course, person=person, **values)


def complete(enrolment: Enrolment, *, passed: bool = True) -> Enrolment:
    """Open every lesson and take every quiz (passed or not), through progress.record."""
    for located in progress.outlines.items(enrolment.course.outline):
        item = located.item
        if item["type"] == "quiz":
            progress.record(
                enrolment,
                item["key"],
                completed=True,
                passed=passed,
                score=Decimal("0.9" if passed else "0.2"),
            )
        else:
            progress.record(enrolment, item["key"], completed=True)
    enrolment.refresh_from_db()
    return enrolment


def learners(prefix: str, number: int) -> list[Any]:
    """``number`` people with accounts and no role."""
    from clearinghouse.core.testing import make_user

    return [make_user(f"{prefix}{index}", prefix.title(), f"Learner {index}") for index in range(number)]
