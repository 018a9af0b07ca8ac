"""Courses for the catalogue, authoring and API tests, made through the services trainers use:
created, given an outline, submitted, and published by the Secretariat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.learning import authoring
from clearinghouse.learning.models import Course
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies the course's term fields come from."""
    load_vocabularies(data_files())


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def terms(*codes: str) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def texts(language: str, text: str, **others: str) -> dict[str, str]:
    return {language: text, **others}


def every_kind_quiz(language: str = "en", key: str = "q1", **settings: Any) -> dict[str, Any]:
    """A quiz with one question of each kind, texts in ``language``."""

    def t(text: str) -> dict[str, str]:
        return {language: text}

    return {
        "key": key,
        "type": "quiz",
        "title": t("Check what you learnt"),
        "pass_mark": 60,
        "max_attempts": 3,
        "draw": 0,
        "closes_at": None,
        "questions": [
            {
                "key": f"{key}-single",
                "kind": "single",
                "text": t("Which protocol governs access and benefit-sharing?"),
                "feedback": t("The Nagoya Protocol, adopted in 2010."),
                "choices": [
                    {"key": f"{key}-s1", "text": t("Nagoya Protocol"), "correct": True},
                    {"key": f"{key}-s2", "text": t("Kyoto Protocol"), "correct": False},
                ],
            },
            {
                "key": f"{key}-multiple",
                "kind": "multiple",
                "text": t("Which are GBF targets on finance?"),
                "choices": [
                    {"key": f"{key}-m1", "text": t("Target 19"), "correct": True},
                    {"key": f"{key}-m2", "text": t("Target 18"), "correct": True},
                    {"key": f"{key}-m3", "text": t("Target 3"), "correct": False},
                ],
            },
            {
                "key": f"{key}-tf",
                "kind": "true_false",
                "text": t("Seeds are genetic resources."),
                "answer": True,
            },
            {
                "key": f"{key}-short",
                "kind": "short",
                "text": t("What does PIC stand for?"),
                "accepted": {language: ["prior informed consent"]},
            },
            {
                "key": f"{key}-match",
                "kind": "matching",
                "text": t("Match each instrument to its subject."),
                "pairs": [
                    {"key": f"{key}-p1", "left": t("Cartagena Protocol"), "right": t("Biosafety")},
                    {"key": f"{key}-p2", "left": t("Nagoya Protocol"), "right": t("Benefit-sharing")},
                ],
            },
        ],
    }


def outline(language: str = "en", modules: int = 2, **quiz_settings: Any) -> dict[str, Any]:
    """``modules`` modules, each with a lesson; the last also with the every-kind quiz."""
    built = []
    for number in range(1, modules + 1):
        items: list[dict[str, Any]] = [
            {
                "key": f"l{number}",
                "type": "lesson",
                "title": {language: f"Lesson {number} on national finance plans"},
                "body": {language: f"<p>Paragraph of lesson {number}.</p>"},
            }
        ]
        if number == modules:
            items.append(every_kind_quiz(language, **quiz_settings))
        built.append({"key": f"m{number}", "title": {language: f"Module {number}"}, "items": items})
    return {"modules": built}


def make_course(
    world: World,
    *,
    title: str = "Developing a national biodiversity finance plan",
    language: str = "en",
    course_outline: dict[str, Any] | None = None,
    publish: bool = True,
    owner: Any = None,
    **cleaned: Any,
) -> Course:
    values = {
        "title": title,
        "summary": cleaned.pop("summary", "Plan the money that the national strategy needs."),
        "level": cleaned.pop("level", "introductory"),
        **cleaned,
    }
    course = authoring.create(
        actor=world.trainer, owner=owner or world.kenyan_ngo, language=language, cleaned=values
    )
    if course_outline is None:
        course_outline = outline(language)
    if course_outline["modules"]:

        def change(current: dict[str, Any]) -> None:
            current["modules"] = course_outline["modules"]

        authoring.change_outline(course, change, actor=world.trainer)
    if publish:
        authoring.submit(course, actor=world.trainer)
        workflow.publish(course, actor=world.secretariat)
    course.refresh_from_db()
    return course
