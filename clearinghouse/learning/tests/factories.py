"""Courses with outlines for the learner's side: live rows as publishing leaves them, and
enrolments made through the enrolment service."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.learning import enrolment as enrolments
from clearinghouse.learning.models import Cohort, CompletionRule, Course, Enrolment
from clearinghouse.publishing import identifiers
from clearinghouse.publishing.models import State


def texts(en: str, fr: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "ar": ar}


QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "single1",
        "kind": "single",
        "text": texts("Which is an invasive species?", "Laquelle est envahissante ?", "أيها نوع غازٍ؟"),
        "feedback": texts(
            "Water hyacinth spreads fast.", "La jacinthe d'eau s'étend vite.", "ينتشر زنبق الماء بسرعة."
        ),
        "choices": [
            {"key": "a", "text": texts("Water hyacinth", "Jacinthe d'eau", "زنبق الماء"), "correct": True},
            {"key": "b", "text": texts("Baobab", "Baobab", "الباوباب"), "correct": False},
        ],
    },
    {
        "key": "multiple1",
        "kind": "multiple",
        "text": texts("Which are pathways?", "Quelles sont des voies ?", "ما هي المسارات؟"),
        "choices": [
            {"key": "a", "text": texts("Ballast water", "Eaux de ballast", "مياه الصابورة"), "correct": True},
            {
                "key": "b",
                "text": texts("Pet trade", "Commerce d'animaux", "تجارة الحيوانات"),
                "correct": True,
            },
            {"key": "c", "text": texts("Sunlight", "Soleil", "ضوء الشمس"), "correct": False},
        ],
    },
    {
        "key": "truefalse1",
        "kind": "true_false",
        "text": texts("Islands are vulnerable.", "Les îles sont vulnérables.", "الجزر معرضة للخطر."),
        "answer": True,
    },
    {
        "key": "short1",
        "kind": "short",
        "text": texts("Name the ecosystem of reefs.", "Nommez l'écosystème des récifs.", "سمِّ نظام الشعاب."),
        "accepted": {"en": ["coral reef"], "fr": ["récif corallien"], "ar": ["الشعاب المرجانية"]},
    },
    {
        "key": "match1",
        "kind": "matching",
        "text": texts("Match the terms.", "Associez les termes.", "طابق المصطلحات."),
        "pairs": [
            {
                "key": "p1",
                "left": texts("CBD", "CDB", "الاتفاقية"),
                "right": texts("Convention", "Convention", "اتفاقية"),
            },
            {
                "key": "p2",
                "left": texts("GBF", "CMB", "الإطار"),
                "right": texts("Framework", "Cadre", "إطار"),
            },
        ],
    },
]

# The right answers to QUESTIONS, as quizzes.submit takes them.
RIGHT: dict[str, Any] = {
    "single1": "a",
    "multiple1": ["a", "b"],
    "truefalse1": True,
    "short1": "Coral reef",
    "match1": {"p1": "p1", "p2": "p2"},
}


def quiz(key: str = "q1", **settings: Any) -> dict[str, Any]:
    return {
        "key": key,
        "type": "quiz",
        "title": texts("Check what you learnt", "Vérifiez vos acquis", "تحقق مما تعلمته"),
        "pass_mark": 60,
        "max_attempts": 2,
        "draw": 0,
        "closes_at": None,
        "questions": copy.deepcopy(QUESTIONS),
    } | settings


def lesson(key: str, title: str = "Lesson", **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "type": "lesson",
        "title": texts(title, f"Leçon {key}", f"درس {key}"),
        "body": texts(
            f"<p>{title}: what invasive species are.</p>",
            "<p>Ce que sont les espèces envahissantes.</p>",
            "<p>ما هي الأنواع الغازية.</p>",
        ),
    } | extra


def outline(*, quiz_settings: dict[str, Any] | None = None, with_quiz: bool = True) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        lesson(
            "l1",
            "What invasive species are",
            video_url="https://video.example.org/l1",
            transcript=texts("Transcript one.", "Transcription une.", "النص الأول."),
            files=[{"name": "Slides (PDF)", "url": "https://files.example.org/slides.pdf"}],
        ),
        lesson("l2", "Pathways"),
    ]
    if with_quiz:
        items.append(quiz(**(quiz_settings or {})))
    return {
        "modules": [
            {"key": "m1", "title": texts("Basics", "Les bases", "الأساسيات"), "items": items[:2]},
            {"key": "m2", "title": texts("Assessment", "Évaluation", "التقييم"), "items": items[2:]},
        ]
    }


def course(
    world: World,
    *,
    outline_value: dict[str, Any] | None = None,
    rule: str = CompletionRule.COMPLETED_AND_PASSED,
    self_enrolment: bool = True,
    publish: bool = True,
    created_by: User | None = None,
) -> Course:
    """A course of Kenya's, in English, French and Arabic, written by its authorised user: a
    live row as publishing leaves it (the authoring pages and their review are another part's)."""
    now = timezone.now()
    return Course.objects.create(
        identifier=identifiers.next_identifier(Course.RECORD_TYPE, world.kenya),
        owner_country=world.kenya,
        original_language="en",
        title=texts("Invasive species", "Espèces envahissantes", "الأنواع الغازية"),
        summary=texts("An introduction.", "Une introduction.", "مقدمة."),
        level="introductory",
        completion_rule=rule,
        outline=outline_value if outline_value is not None else outline(),
        self_enrolment=self_enrolment,
        created_by=created_by or world.authorised_user,
        state=State.PUBLISHED if publish else State.DRAFT,
        live=publish,
        revision_number=1,
        live_revision_number=1 if publish else None,
        first_published_at=now if publish else None,
        last_published_at=now if publish else None,
    )


def cohort(
    course_: Course, *, days_before: int = 1, days_after: int = 30, name: str = "May cohort"
) -> Cohort:
    today = timezone.localdate()
    return Cohort.objects.create(
        course=course_,
        name=name,
        starts_on=today - timedelta(days=days_before),
        ends_on=today + timedelta(days=days_after),
    )


def enrolled(
    course_: Course, person: User, *, language: str = "en", cohort_: Cohort | None = None
) -> Enrolment:
    """``person`` enrolled through the enrolment service (by themselves, or in a cohort)."""
    return enrolments.enrol(course_, person, language=language, cohort=cohort_)
