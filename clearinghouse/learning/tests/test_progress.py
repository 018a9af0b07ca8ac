"""Progress and the three completion rules (cmi5's completed, passed, completed-and-passed);
completion is announced once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clearinghouse.core.testing import World
from clearinghouse.learning import progress, quizzes
from clearinghouse.learning.models import Activity, CompletionRule, Enrolment, EnrolmentStatus
from clearinghouse.learning.tests import factories
from clearinghouse.learning.tests.factories import RIGHT

pytestmark = pytest.mark.django_db


def enrolled(world: World, rule: str, **outline_options: object) -> Enrolment:
    course = factories.course(world, rule=rule, outline_value=factories.outline(**outline_options))  # type: ignore[arg-type]
    return factories.enrolled(course, world.learner)


def read_all(enrolment: Enrolment) -> None:
    progress.record(enrolment, "l1", completed=True)
    progress.record(enrolment, "l2", completed=True)


def fail_then_pass(enrolment: Enrolment) -> None:
    quizzes.submit(enrolment, "q1", {}, attempt=quizzes.start(enrolment, "q1"))
    assert refresh(enrolment).status == EnrolmentStatus.ACTIVE
    quizzes.submit(enrolment, "q1", RIGHT, attempt=quizzes.start(enrolment, "q1"))


def refresh(enrolment: Enrolment) -> Enrolment:
    enrolment.refresh_from_db()
    return enrolment


def test_every_lesson_viewed_completes_a_completed_course_without_its_quiz(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.COMPLETED)
    progress.record(enrolment, "l1", completed=True)
    assert refresh(enrolment).status == EnrolmentStatus.ACTIVE
    progress.record(enrolment, "l2", completed=True)
    assert refresh(enrolment).status == EnrolmentStatus.COMPLETED
    # The quiz is not passed: the course is complete, not passed.
    assert enrolment.passed is False and enrolment.completed_at is not None


def test_every_quiz_passed_completes_a_passed_course_without_its_lessons(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.PASSED)
    quizzes.submit(enrolment, "q1", {}, attempt=quizzes.start(enrolment, "q1"))
    assert refresh(enrolment).status == EnrolmentStatus.ACTIVE
    quizzes.submit(enrolment, "q1", RIGHT, attempt=quizzes.start(enrolment, "q1"))
    assert refresh(enrolment).status == EnrolmentStatus.COMPLETED and enrolment.passed is True


def test_completed_and_passed_needs_both(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.COMPLETED_AND_PASSED)
    fail_then_pass(enrolment)
    assert refresh(enrolment).status == EnrolmentStatus.ACTIVE
    progress.record(enrolment, "l1", completed=True)
    assert refresh(enrolment).status == EnrolmentStatus.ACTIVE
    progress.record(enrolment, "l2", completed=True)
    assert refresh(enrolment).status == EnrolmentStatus.COMPLETED and enrolment.passed is True


def test_a_passed_rule_on_a_course_without_quizzes_never_completes_by_itself(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.PASSED, with_quiz=False)
    read_all(enrolment)
    assert refresh(enrolment).status == EnrolmentStatus.ACTIVE


def test_a_later_worse_result_never_undoes_a_pass_or_a_better_score(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.PASSED)
    quizzes.submit(enrolment, "q1", RIGHT, attempt=quizzes.start(enrolment, "q1"))
    quizzes.submit(enrolment, "q1", {}, attempt=quizzes.start(enrolment, "q1"))
    row = enrolment.progress.get(item_key="q1")
    assert row.passed is True and row.score == Decimal(1)


def test_completion_is_announced_once(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.COMPLETED, with_quiz=False)
    heard: list[Enrolment] = []

    def listener(sender: object, enrolment: Enrolment, **kwargs: object) -> None:
        heard.append(enrolment)

    progress.course_completed.connect(listener)
    try:
        read_all(enrolment)
        # Reading again after completion changes nothing and announces nothing.
        read_all(enrolment)
    finally:
        progress.course_completed.disconnect(listener)
    assert [e.pk for e in heard] == [enrolment.pk]
    assert Activity.objects.filter(enrolment=enrolment, verb="completed").count() == 1


def test_standing_counts_lessons_viewed_and_quizzes_passed(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.COMPLETED_AND_PASSED)
    progress.record(enrolment, "l1", completed=True)
    now = progress.standing(enrolment)
    assert (now.lessons, now.lessons_done, now.quizzes, now.quizzes_passed) == (2, 1, 1, 0)
    assert now.percent == 33 and not now.completed


def test_progress_on_an_item_the_course_lacks_is_refused(world: World) -> None:
    enrolment = enrolled(world, CompletionRule.COMPLETED)
    with pytest.raises(KeyError):
        progress.record(enrolment, "nothing", completed=True)
    assert not enrolment.progress.exists()


def test_a_withdrawn_learner_does_not_complete(world: World) -> None:
    from clearinghouse.learning import enrolment as enrolments

    enrolment = enrolled(world, CompletionRule.COMPLETED, with_quiz=False)
    enrolments.withdraw(enrolment)
    read_all(refresh(enrolment))
    assert refresh(enrolment).status == EnrolmentStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        enrolments.withdraw(enrolment)
