"""Demo courses (data/demo-courses.yaml): six published courses, each written in a different one
of the six languages, three of them also in a second language, with lessons and quizzes of
every kind; and a seventh submitted for review, waiting in the Secretariat's queue.

Written by the demo trainer through the services trainers use (the catalogue entry, its
translations, the outline, submission), published by the Secretariat through the review step.
Idempotent: a course is found again by its owner and original title.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.core.demo import demo_data
from clearinghouse.learning import authoring
from clearinghouse.learning.models import Course
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import services as publishing_services
from clearinghouse.publishing import workflow
from clearinghouse.publishing.demo import owner_filter
from clearinghouse.publishing.signals import batched_announcements
from clearinghouse.support import services as support_services
from clearinghouse.vocabularies.demo import Terms, topic

TRAINER = "trainer"
REVIEWER = "secretariat"
_TEXTS = ("title", "summary", "description")


def rows() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = demo_data("clearinghouse.learning", "demo-courses.yaml")["courses"]
    return found


def original_language(row: dict[str, Any]) -> str:
    return str(next(iter(row["title"])))


def _question(entry: dict[str, Any], key: str) -> dict[str, Any]:
    question: dict[str, Any] = {"key": key, "kind": entry["kind"], "text": entry["text"]}
    if entry.get("feedback"):
        question["feedback"] = entry["feedback"]
    if entry["kind"] in ("single", "multiple"):
        question["choices"] = [
            {"key": f"{key}c{number}", "text": choice["text"], "correct": bool(choice["correct"])}
            for number, choice in enumerate(entry["choices"], start=1)
        ]
    elif entry["kind"] == "true_false":
        question["answer"] = bool(entry["answer"])
    elif entry["kind"] == "short":
        question["accepted"] = entry["accepted"]
    elif entry["kind"] == "matching":
        question["pairs"] = [
            {"key": f"{key}p{number}", "left": pair["left"], "right": pair["right"]}
            for number, pair in enumerate(entry["pairs"], start=1)
        ]
    return question


def outline_of(row: dict[str, Any]) -> dict[str, Any]:
    """The course's outline, its keys made from the places of its parts in the data file."""
    modules = []
    for module_number, module in enumerate(row["modules"], start=1):
        items = []
        for item_number, entry in enumerate(module["items"], start=1):
            key = f"m{module_number}i{item_number}"
            if "quiz" in entry:
                items.append(
                    {
                        "key": key,
                        "type": "quiz",
                        "title": entry["title"],
                        "pass_mark": int(entry["pass_mark"]),
                        "max_attempts": int(entry.get("max_attempts", 0)),
                        "draw": int(entry.get("draw", 0)),
                        "closes_at": None,
                        "questions": [
                            _question(question, f"{key}x{number}")
                            for number, question in enumerate(entry["questions"], start=1)
                        ],
                    }
                )
            else:
                items.append(
                    {
                        "key": key,
                        "type": "lesson",
                        "title": entry["title"],
                        "body": entry["body"],
                        "video_url": entry.get("video_url", ""),
                        "transcript": entry.get("transcript", {}),
                        "files": entry.get("files", []),
                    }
                )
        modules.append({"key": f"m{module_number}", "title": module["title"], "items": items})
    return {"modules": modules}


def _find(row: dict[str, Any]) -> Course | None:
    language = original_language(row)
    for course in Course.objects.filter(original_language=language, **owner_filter(demo_owner(row["owner"]))):
        if course.title.get(language) == row["title"][language]:
            return course
    return None


def _cleaned(row: dict[str, Any], terms: Terms) -> dict[str, Any]:
    """The catalogue entry's form, as the trainer fills it in the course's language."""
    language = original_language(row)
    subjects: list[str] = []
    targets: list[str] = []
    groups: list[str] = []
    for key in row["topics"]:
        found = topic(key)
        subjects += [code for code in found.subjects if code not in subjects]
        targets += [code for code in found.gbf if code not in targets]
        groups += [code for code in found.groups if code not in groups]
    return {
        **{name: row[name][language] for name in _TEXTS},
        "level": row["level"],
        "duration_hours": Decimal(str(row["duration"])),
        "completion_rule": row["completion"],
        "subjects": terms(subjects),
        "gbf_targets": terms(targets),
        "target_groups": terms(groups),
        "plan_activities": list(Activity.objects.filter(number__in=row.get("plan_activities", []))),
    }


def course_from_row(row: dict[str, Any], terms: Terms) -> tuple[Course, bool]:
    """The demo course of ``row``: written, translated, given its outline and submitted by the
    trainer, published by the Secretariat unless it is to wait in the queue; whether it is new."""
    found = _find(row)
    if found is not None:
        return found, False
    trainer = demo_person(TRAINER)
    language = original_language(row)
    course = authoring.create(
        actor=trainer, owner=demo_owner(row["owner"]), language=language, cleaned=_cleaned(row, terms)
    )
    for other in list(row["title"])[1:]:
        publishing_services.translate(
            course,
            actor=trainer,
            language=other,
            texts={name: row[name][other] for name in _TEXTS},
            base_revision=None,
            save=support_services.save_values,
        )
    modules = outline_of(row)["modules"]

    def fill(outline: dict[str, Any]) -> None:
        outline["modules"] = modules

    authoring.change_outline(course, fill, actor=trainer, note="Outline written")
    authoring.submit(course, actor=trainer)
    if row["state"] == "published":
        workflow.publish(course, actor=demo_person(REVIEWER))
    course.refresh_from_db()
    return course, True


def load() -> list[str]:
    terms = Terms()
    courses = []
    new = 0
    with batched_announcements():
        for row in rows():
            course, created = course_from_row(row, terms)
            courses.append(course)
            new += created
    published = [course for course in courses if course.live]
    waiting = [course for course in courses if not course.live]
    lines = [
        f"{'Courses (/learning/)':32} {len(published)} published, {len(waiting)} waiting for review ({new} new)"
    ]
    lines += [
        f"{'  sign in as trainer':32} writes courses: /learning/writing/",
        f"{'  sign in as secretariat':32} {', '.join(c.identifier for c in waiting)} waits in the review queue",
    ]
    return lines
