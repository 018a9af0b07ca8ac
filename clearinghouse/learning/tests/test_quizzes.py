"""Quiz attempts through the service: the draw per attempt, the attempts allowed, the closing
date, attempts uploaded from an offline package counted once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.learning import enrolment as enrolments
from clearinghouse.learning import quizzes
from clearinghouse.learning.models import Activity, AttemptSource, Enrolment, QuizAttempt
from clearinghouse.learning.tests import factories
from clearinghouse.learning.tests.factories import RIGHT

pytestmark = pytest.mark.django_db


def enrolled(world: World, **quiz_settings: object) -> Enrolment:
    course = factories.course(world, outline_value=factories.outline(quiz_settings=quiz_settings))
    return factories.enrolled(course, world.learner)


def test_starting_draws_the_questions_once_and_returns_the_open_attempt_again(world: World) -> None:
    enrolment = enrolled(world, draw=3)
    attempt = quizzes.start(enrolment, "q1")
    assert attempt.number == 1 and len(attempt.questions) == 3
    assert quizzes.start(enrolment, "q1").pk == attempt.pk
    # Drawn from a seed of the enrolment, quiz and attempt number: the same draw on a reload.
    from clearinghouse.learning import grading

    assert attempt.questions == grading.draw(quizzes.quiz_of(enrolment, "q1"), f"{enrolment.pk}:q1:1")
    assert Activity.objects.filter(enrolment=enrolment, verb="launched", object_key="q1").count() == 1


def test_a_submitted_attempt_is_marked_and_logged_per_question(world: World) -> None:
    enrolment = enrolled(world)
    attempt = quizzes.submit(enrolment, "q1", RIGHT, attempt=quizzes.start(enrolment, "q1"))
    assert attempt.passed and attempt.score == 1
    answered = Activity.objects.filter(enrolment=enrolment, verb="answered")
    assert answered.count() == 5 and all(a.result["success"] for a in answered)
    assert Activity.objects.filter(enrolment=enrolment, verb="passed", object_key="q1").exists()
    with pytest.raises(ValidationError, match="already submitted"):
        quizzes.submit(enrolment, "q1", RIGHT, attempt=attempt)


def test_answers_to_questions_not_drawn_are_dropped(world: World) -> None:
    enrolment = enrolled(world, draw=1)
    attempt = quizzes.start(enrolment, "q1")
    done = quizzes.submit(enrolment, "q1", RIGHT | {"extra": "x"}, attempt=attempt)
    assert list(done.answers) == attempt.questions


def test_attempts_beyond_the_limit_are_refused_and_nothing_is_saved(world: World) -> None:
    enrolment = enrolled(world, max_attempts=2)
    for _ in range(2):
        quizzes.submit(enrolment, "q1", {}, attempt=quizzes.start(enrolment, "q1"))
    with pytest.raises(ValidationError, match="used all 2 attempts"):
        quizzes.start(enrolment, "q1")
    with pytest.raises(ValidationError, match="used all 2 attempts"):
        quizzes.submit(
            enrolment, "q1", RIGHT, drawn=["single1"], source=AttemptSource.OFFLINE, offline_id="x1"
        )
    assert QuizAttempt.objects.count() == 2
    assert not enrolment.progress.get(item_key="q1").passed


def test_a_quiz_without_a_limit_takes_any_number_of_attempts(world: World) -> None:
    enrolment = enrolled(world, max_attempts=0)
    for _ in range(4):
        quizzes.submit(enrolment, "q1", {}, attempt=quizzes.start(enrolment, "q1"))
    assert quizzes.attempts_used(enrolment, "q1") == 4


def test_answers_after_the_closing_date_are_refused(world: World) -> None:
    closes = timezone.now() + timedelta(hours=1)
    enrolment = enrolled(world, closes_at=closes.isoformat())
    attempt = quizzes.start(enrolment, "q1")
    with pytest.raises(ValidationError, match="closed on"):
        quizzes.submit(enrolment, "q1", RIGHT, attempt=attempt, at=closes + timedelta(seconds=1))
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not Activity.objects.filter(verb__in=["answered", "passed"]).exists()
    # Up to the minute it closes, answers count.
    assert quizzes.submit(enrolment, "q1", RIGHT, attempt=attempt, at=closes).passed


def test_an_offline_attempt_uploaded_twice_counts_once(world: World) -> None:
    enrolment = enrolled(world)
    first = quizzes.submit(
        enrolment, "q1", RIGHT, drawn=["single1", "short1"], source=AttemptSource.OFFLINE, offline_id="pkg-1"
    )
    again = quizzes.submit(
        enrolment, "q1", RIGHT, drawn=["single1", "short1"], source=AttemptSource.OFFLINE, offline_id="pkg-1"
    )
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1
    assert Activity.objects.filter(verb="passed", object_key="q1").count() == 1
    # Another attempt of the package is another attempt.
    other = quizzes.submit(
        enrolment, "q1", {}, drawn=["single1"], source=AttemptSource.OFFLINE, offline_id="pkg-2"
    )
    assert other.number == 2


def test_an_offline_attempt_naming_questions_the_quiz_lacks_is_refused(world: World) -> None:
    enrolment = enrolled(world)
    for drawn in ([], ["single1", "single1"], ["single1", "invented"]):
        with pytest.raises(ValidationError, match="does not have"):
            quizzes.submit(enrolment, "q1", {}, drawn=drawn, offline_id="pkg-9")
    assert not QuizAttempt.objects.exists()


def test_a_quiz_the_course_lacks_and_a_withdrawn_learner_are_refused(world: World) -> None:
    enrolment = enrolled(world)
    with pytest.raises(ValidationError, match="no such quiz"):
        quizzes.start(enrolment, "l1")
    enrolments.withdraw(enrolment)
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError, match="withdrew"):
        quizzes.start(enrolment, "q1")


def test_a_cohort_answers_only_between_its_dates(world: World) -> None:
    course = factories.course(world)
    cohort = factories.cohort(course, days_before=10, days_after=-1)
    enrolment = factories.enrolled(course, world.learner, cohort_=cohort)
    with pytest.raises(ValidationError, match="cohort ended"):
        quizzes.start(enrolment, "q1")
    with pytest.raises(ValidationError, match="cohort ended"):
        quizzes.submit(enrolment, "q1", RIGHT, drawn=["single1"], offline_id="late")
    assert not QuizAttempt.objects.exists()


def test_the_closing_date_is_told_in_utc_whatever_offset_the_trainer_gave(world: World) -> None:
    enrolment = enrolled(world, closes_at="2020-03-31T23:59:00+02:00")
    with pytest.raises(ValidationError, match="2020-03-31 21:59 UTC"):
        quizzes.start(enrolment, "q1")
