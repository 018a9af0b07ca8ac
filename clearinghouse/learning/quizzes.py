"""Quiz attempts: drawing the questions, the limits (attempts allowed, closing date), marking,
and what the attempt does to progress. Online and offline attempts go through ``submit``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.learning import enrolment as enrolments
from clearinghouse.learning import grading, progress
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.activity import happened
from clearinghouse.learning.models import AttemptSource, Enrolment, EnrolmentStatus, QuizAttempt, Verb


def quiz_of(enrolment: Enrolment, quiz_key: str) -> Mapping[str, Any]:
    located = outlines.find(enrolment.course.outline, quiz_key)
    if located is None or located.item.get("type") != "quiz":
        raise ValidationError(_("This course has no such quiz."), code="no_quiz")
    return located.item


def attempts_used(enrolment: Enrolment, quiz_key: str) -> int:
    return enrolment.attempts.filter(quiz_key=quiz_key, submitted_at__isnull=False).count()


def check_open(enrolment: Enrolment, quiz: Mapping[str, Any], at: datetime) -> None:
    """ValidationError when the learner may not (or no longer) answer this quiz."""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ValidationError(_("You withdrew from this course."), code="withdrawn")
    # A cohort studies between its dates only: before, the quiz is not open yet; after, read-only.
    enrolments.check_may_study(enrolment, timezone.localdate(at))
    closes = outlines.closes_at(quiz)
    if closes is not None and at > closes:
        raise ValidationError(
            _("This quiz closed on %(date)s.")
            % {"date": closes.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")},
            code="closed",
        )
    allowed = int(quiz.get("max_attempts") or 0)
    if allowed and attempts_used(enrolment, str(quiz["key"])) >= allowed:
        raise ValidationError(
            _("You have used all %(count)d attempts at this quiz.") % {"count": allowed},
            code="no_attempts_left",
        )


@transaction.atomic
def start(enrolment: Enrolment, quiz_key: str, *, at: datetime | None = None) -> QuizAttempt:
    """The learner's attempt in progress, or a new one with its questions drawn."""
    now = at or timezone.now()
    quiz = quiz_of(enrolment, quiz_key)
    check_open(enrolment, quiz, now)
    open_attempt = (
        enrolment.attempts.select_for_update().filter(quiz_key=quiz_key, submitted_at__isnull=True).first()
    )
    if open_attempt is not None:
        return open_attempt
    number = (enrolment.attempts.filter(quiz_key=quiz_key).aggregate(n=Max("number"))["n"] or 0) + 1
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz_key=quiz_key,
        number=number,
        questions=grading.draw(quiz, f"{enrolment.pk}:{quiz_key}:{number}"),
        started_at=now,
    )
    happened(enrolment, Verb.LAUNCHED, quiz_key, at=now)
    return attempt


def _clean_answers(quiz: Mapping[str, Any], drawn: list[str], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only answers to the drawn questions count; anything else is dropped, not stored."""
    if not isinstance(answers, Mapping):
        raise ValidationError(_("The answers could not be read."), code="answers")
    bank = {str(q["key"]) for q in quiz.get("questions") or []}
    return {key: answers[key] for key in drawn if key in bank and key in answers}


@transaction.atomic
def submit(
    enrolment: Enrolment,
    quiz_key: str,
    answers: Mapping[str, Any],
    *,
    attempt: QuizAttempt | None = None,
    drawn: list[str] | None = None,
    source: AttemptSource = AttemptSource.ONLINE,
    offline_id: str = "",
    at: datetime | None = None,
) -> QuizAttempt:
    """Mark an attempt and record its result. Online: the attempt ``start`` opened. Offline:
    the questions the package drew and the package's id for the attempt; the same id counts once
    (the attempt already stored is returned). ValidationError when the quiz is closed, the
    attempts are used up, or the attempt was already submitted."""
    now = at or timezone.now()
    quiz = quiz_of(enrolment, quiz_key)
    if offline_id:
        known = enrolment.attempts.filter(offline_id=offline_id).first()
        if known is not None:
            return known
    check_open(enrolment, quiz, now)
    if attempt is None:
        bank = [str(q["key"]) for q in quiz.get("questions") or []]
        if not drawn or len(set(drawn)) != len(drawn) or not set(drawn) <= set(bank):
            raise ValidationError(_("The attempt names questions this quiz does not have."), code="questions")
        number = (enrolment.attempts.filter(quiz_key=quiz_key).aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = QuizAttempt(
            enrolment=enrolment, quiz_key=quiz_key, number=number, questions=drawn, started_at=now
        )
    else:
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise ValidationError(_("This attempt was already submitted."), code="submitted")
    attempt.answers = _clean_answers(quiz, list(attempt.questions), answers)
    attempt.score = grading.score(quiz, list(attempt.questions), attempt.answers)
    attempt.passed = grading.passes(quiz, attempt.score)
    attempt.submitted_at = now
    attempt.source = source
    attempt.offline_id = offline_id
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # The same offline attempt uploaded twice at once: the other upload stored it.
        known = enrolment.attempts.filter(offline_id=offline_id).first() if offline_id else None
        if known is None:
            raise
        return known
    by_key = {str(q["key"]): q for q in quiz.get("questions") or []}
    for key in attempt.questions:
        if key in attempt.answers:
            happened(
                enrolment,
                Verb.ANSWERED,
                key,
                result={
                    "success": grading.is_right(by_key[key], attempt.answers[key]),
                    "response": attempt.answers[key],
                },
                at=now,
            )
    happened(
        enrolment,
        Verb.PASSED if attempt.passed else Verb.FAILED,
        quiz_key,
        result={"score": {"scaled": float(attempt.score)}, "success": attempt.passed, "completion": True},
        at=now,
    )
    progress.record(enrolment, quiz_key, completed=True, passed=attempt.passed, score=attempt.score, at=now)
    return attempt
