"""A learner's progress through a course and the course's completion rule.

Every way of learning (a lesson read online, a quiz, a SCORM module, an offline package uploaded
later) ends in ``record``: one row per item, updated only forwards (a later, worse result never
undoes a completion or a pass), then the course's rule is checked. Completing a course sends
``course_completed`` (certificates listen to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from clearinghouse.learning import outline as outlines
from clearinghouse.learning.activity import happened
from clearinghouse.learning.models import (
    CompletionRule,
    Enrolment,
    EnrolmentStatus,
    ItemKind,
    ItemProgress,
    Verb,
)

# Sent with ``enrolment`` once, inside the transaction that completes it.
course_completed = Signal()


@dataclass(frozen=True)
class Standing:
    """Where a learner stands in a course: what the learner's page and the course page show."""

    lessons: int
    lessons_done: int
    quizzes: int
    quizzes_passed: int
    completed: bool

    @property
    def percent(self) -> int:
        total = self.lessons + self.quizzes
        return round(100 * (self.lessons_done + self.quizzes_passed) / total) if total else 0


def _viewable(item: Any) -> bool:
    """Items completed by working through them: lessons and SCORM modules."""
    return item.get("type") in ("lesson", "scorm")


def standing(enrolment: Enrolment, progress: dict[str, ItemProgress] | None = None) -> Standing:
    outline = enrolment.course.outline
    if progress is None:
        progress = {row.item_key: row for row in enrolment.progress.all()}
    viewable = [i for i in (located.item for located in outlines.items(outline)) if _viewable(i)]
    quizzes = outlines.of_type(outline, "quiz")
    done = sum(1 for i in viewable if (row := progress.get(i["key"])) and row.completed_at)
    passed = sum(1 for q in quizzes if (row := progress.get(q["key"])) and row.passed)
    return Standing(len(viewable), done, len(quizzes), passed, enrolment.status == EnrolmentStatus.COMPLETED)


def rule_met(enrolment: Enrolment, progress: dict[str, ItemProgress]) -> tuple[bool, bool]:
    """(complete, passed) under the course's completion rule."""
    now = standing(enrolment, progress)
    viewed = now.lessons_done == now.lessons
    passed = now.quizzes_passed == now.quizzes
    rule = enrolment.course.completion_rule
    if rule == CompletionRule.COMPLETED:
        return viewed and now.lessons > 0, passed
    if rule == CompletionRule.PASSED:
        return passed and now.quizzes > 0, passed
    return viewed and passed and (now.lessons + now.quizzes) > 0, passed


def _kind(item: Any) -> str:
    return {"lesson": ItemKind.LESSON, "quiz": ItemKind.QUIZ}.get(item.get("type"), ItemKind.SCORM)


@transaction.atomic
def record(
    enrolment: Enrolment,
    item_key: str,
    *,
    completed: bool = False,
    passed: bool | None = None,
    score: Decimal | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ItemProgress:
    """Record what a learner did with one item and complete the course when its rule is met.
    KeyError when the course has no such item."""
    located = outlines.find(enrolment.course.outline, item_key)
    if located is None:
        raise KeyError(item_key)
    now = at or timezone.now()
    row, created = ItemProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, item_key=item_key, defaults={"kind": _kind(located.item), "first_viewed_at": now}
    )
    if created and located.item.get("type") != "quiz":
        happened(
            enrolment,
            Verb.LAUNCHED if located.item.get("type") == "scorm" else Verb.EXPERIENCED,
            item_key,
            at=now,
        )
    if completed and row.completed_at is None:
        row.completed_at = now
    if passed is not None and row.passed is not True:
        row.passed = passed
    if score is not None and (row.score is None or score > row.score):
        row.score = score
    if data is not None:
        row.data = data
    row.save()
    enrolment.last_active_at = now
    enrolment.save(update_fields=["last_active_at"])
    _check_completion(enrolment, now)
    return row


def check_completion(enrolment: Enrolment, *, at: datetime | None = None) -> None:
    """Complete the enrolment if its progress already meets the course's rule (a learner who
    comes back after withdrawing may have finished the course offline meanwhile)."""
    _check_completion(enrolment, at or timezone.now())


def _check_completion(enrolment: Enrolment, now: datetime) -> None:
    # The status as stored, the row locked: an object read before the learner withdrew (or
    # before another request completed the course) must not complete it, nor twice.
    stored = Enrolment.objects.select_for_update().only("status").get(pk=enrolment.pk)
    enrolment.status = stored.status
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return
    progress = {row.item_key: row for row in enrolment.progress.all()}
    complete, passed = rule_met(enrolment, progress)
    if not complete:
        return
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    quizzes = outlines.of_type(enrolment.course.outline, "quiz")
    enrolment.passed = passed if quizzes else None
    enrolment.save(update_fields=["status", "completed_at", "passed"])
    if quizzes:
        happened(enrolment, Verb.PASSED if passed else Verb.FAILED, result={"success": passed}, at=now)
    happened(enrolment, Verb.COMPLETED, result={"completion": True}, at=now)
    course_completed.send(sender=Enrolment, enrolment=enrolment)
