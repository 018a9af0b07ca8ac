"""Courses with outlines and learners enrolled in them, for the xAPI and LTI tests: courses go
through the publishing workflow like any record; learners study through the same services the
pages use (quizzes.start/submit, progress.record)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.learning.models import Course, Enrolment, EnrolmentMethod
from clearinghouse.publishing import registry, workflow


def outline() -> dict[str, Any]:
    """Two modules: a lesson and a SCORM module, then a quiz with a question of every kind."""
    return {
        "modules": [
            {
                "key": "m1",
                "title": {"en": "Invasive species", "fr": "Espèces envahissantes", "ar": "الأنواع الغازية"},
                "items": [
                    {
                        "key": "l1",
                        "type": "lesson",
                        "title": {
                            "en": "What makes a species invasive",
                            "fr": "Ce qui rend une espèce envahissante",
                        },
                        "body": {"en": "<p>Pathways and impacts.</p>", "fr": "<p>Voies et impacts.</p>"},
                    },
                    {"key": "s1", "type": "scorm", "title": {"en": "Field exercise"}, "package": "pkg-token"},
                ],
            },
            {
                "key": "m2",
                "title": {"en": "Check what you learnt", "fr": "Vérifiez vos acquis"},
                "items": [
                    {
                        "key": "q1",
                        "type": "quiz",
                        "title": {"en": "Final quiz", "fr": "Quiz final"},
                        "pass_mark": 60,
                        "max_attempts": 3,
                        "questions": [
                            {
                                "key": "x1",
                                "kind": "single",
                                "text": {"en": "Which is a pathway?", "fr": "Laquelle est une voie ?"},
                                "choices": [
                                    {"key": "a", "text": {"en": "Ballast water"}, "correct": True},
                                    {"key": "b", "text": {"en": "Sunlight"}, "correct": False},
                                ],
                            },
                            {
                                "key": "x2",
                                "kind": "multiple",
                                "text": {"en": "Which are impacts?"},
                                "choices": [
                                    {"key": "c", "text": {"en": "Loss of native species"}, "correct": True},
                                    {"key": "d", "text": {"en": "Costs to agriculture"}, "correct": True},
                                    {"key": "e", "text": {"en": "More rain"}, "correct": False},
                                ],
                            },
                            {
                                "key": "x3",
                                "kind": "true_false",
                                "text": {"en": "Every alien species is invasive."},
                                "answer": False,
                            },
                            {
                                "key": "x4",
                                "kind": "short",
                                "text": {"en": "Name the protocol on access and benefit-sharing."},
                                "accepted": {
                                    "en": ["Nagoya", "Nagoya Protocol"],
                                    "fr": ["Protocole de Nagoya"],
                                },
                            },
                            {
                                "key": "x5",
                                "kind": "matching",
                                "text": {"en": "Match the species to its region."},
                                "pairs": [
                                    {
                                        "key": "p1",
                                        "left": {"en": "Water hyacinth"},
                                        "right": {"en": "Lake Victoria"},
                                    },
                                    {"key": "p2", "left": {"en": "Cane toad"}, "right": {"en": "Australia"}},
                                ],
                            },
                        ],
                    }
                ],
            },
        ]
    }


# Right answers to every question of the quiz above.
RIGHT_ANSWERS: dict[str, Any] = {
    "x1": "a",
    "x2": ["c", "d"],
    "x3": False,
    "x4": "nagoya protocol",
    "x5": {"p1": "p1", "p2": "p2"},
}


@contextmanager
def _registered() -> Iterator[None]:
    """Publishing announces the change to the record type's features: until the catalogue
    registers courses with all of theirs, a bare registration stands in, for the publishing
    step only, so that no other test sees a course type without search, feed or matching."""
    try:
        registry.of(Course)
    except LookupError:
        registry.register(registry.RecordType(model=Course, search=None))
        try:
            yield
        finally:
            registry._TYPES.pop(Course.RECORD_TYPE, None)
    else:
        yield


def published_course(world: World, **overrides: Any) -> Course:
    """A course owned by Kenya, written by its authorised user and published by its focal point."""
    values: dict[str, Any] = {
        "original_language": "en",
        "title": {"en": "Managing invasive alien species", "fr": "Gérer les espèces exotiques envahissantes"},
        "summary": {"en": "Pathways, impacts and control.", "fr": "Voies, impacts et lutte."},
        "level": "introductory",
        "outline": outline(),
    } | overrides
    course = workflow.create(Course, actor=world.authorised_user, owner=world.kenya, values=values)
    workflow.submit(course, actor=world.authorised_user)
    with _registered():
        return workflow.publish(course, actor=world.focal_point)


def enrol(
    course: Course, person: User, *, language: str = "en", method: str = EnrolmentMethod.SELF
) -> Enrolment:
    enrolment, _created = Enrolment.objects.get_or_create(
        course=course, person=person, defaults={"language": language, "method": method}
    )
    return enrolment
