"""Checklists through their services: a template in force copied onto an item by those who
manage it or run quality assurance, its steps ticked with evidence, set aside with a reason or
opened again, and the checklist's completion kept right."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.events.tests.factories import published
from clearinghouse.learning.tests.factories import course
from clearinghouse.quality import checklists, review_services
from clearinghouse.quality.models import (
    AppliesTo,
    Assignment,
    AssignmentStatus,
    Checklist,
    ChecklistStep,
    Review,
    Standard,
    StepState,
    VersionStatus,
)
from clearinghouse.quality.tests.checklist_factories import template

pytestmark = pytest.mark.django_db


def _steps(checklist: Checklist) -> list[ChecklistStep]:
    return list(checklist.steps.order_by("position"))


def test_an_organiser_copies_the_template_in_force_onto_their_event(world: Any) -> None:
    event = published(world)
    sop = template()
    checklist = checklists.start(event, sop, actor=world.authorised_user)
    steps = _steps(checklist)
    # The steps are copies: their texts and evidence rule as the template had them.
    assert [step.text["en"] for step in steps] == [
        "Needs assessment done",
        "Gender balance considered",
        "Materials in the participants' languages",
    ]
    assert [step.evidence_required for step in steps] == [True, False, False]
    assert all(step.state == StepState.OPEN for step in steps)
    assert checklist.record_type == "EVENT" and checklist.completed_at is None
    assert checklists.completion(checklist) == checklists.Completion(0, 0, 3)


def test_quality_staff_start_a_checklist_on_someone_elses_event(world: Any) -> None:
    event = published(world)
    checklist = checklists.start(event, template(), actor=world.helpdesk_agent)
    assert checklist.created_by == world.helpdesk_agent


def test_someone_who_does_not_manage_the_item_may_not_start_or_tick(world: Any) -> None:
    event = published(world)
    sop = template()
    with pytest.raises(PermissionDenied):
        checklists.start(event, sop, actor=world.outsider)
    checklist = checklists.start(event, sop, actor=world.authorised_user)
    step = _steps(checklist)[1]
    for refused in (
        lambda: checklists.tick(step, actor=world.outsider),
        lambda: checklists.set_aside(step, actor=world.outsider, reason="No"),
        lambda: checklists.reopen(step, actor=world.other_focal_point),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    assert ChecklistStep.objects.get(pk=step.pk).state == StepState.OPEN


def test_one_checklist_per_template_and_item_even_in_a_newer_version(world: Any) -> None:
    event = published(world)
    first = template(status=VersionStatus.RETIRED)
    second = template(version=2)
    with pytest.raises(ValidationError) as refused:
        checklists.start(event, first, actor=world.authorised_user)
    assert "no longer in force" in str(refused.value)
    checklists.start(event, second, actor=world.authorised_user)
    with pytest.raises(ValidationError) as twice:
        checklists.start(event, second, actor=world.authorised_user)
    assert "already follows this checklist" in str(twice.value)
    assert Checklist.objects.filter(identifier=event.identifier).count() == 1
    assert checklists.templates_to_start(event) == []


def test_a_template_for_another_kind_is_refused(world: Any) -> None:
    event = published(world)
    for_courses = template(code="producing-a-course", applies_to=AppliesTo.COURSE)
    with pytest.raises(ValidationError) as refused:
        checklists.start(event, for_courses, actor=world.authorised_user)
    assert "not for this kind of item" in str(refused.value)
    assert checklists.templates_to_start(event) == []
    # A course takes it: its author keeps the checklist.
    the_course = course(world)
    assert checklists.templates_to_start(the_course) == [for_courses]
    assert checklists.start(the_course, for_courses, actor=world.authorised_user).record_type == "COURSE"


def test_a_step_needing_evidence_is_not_done_without_it(world: Any) -> None:
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    needs_evidence, plain, _languages = _steps(checklist)
    with pytest.raises(ValidationError) as refused:
        checklists.tick(needs_evidence, actor=world.authorised_user, evidence="   ")
    assert "needs evidence" in str(refused.value)
    with pytest.raises(ValidationError) as bad_link:
        checklists.tick(needs_evidence, actor=world.authorised_user, evidence_url="not a link")
    assert "full link" in str(bad_link.value)
    assert ChecklistStep.objects.get(pk=needs_evidence.pk).state == StepState.OPEN

    done = checklists.tick(
        needs_evidence, actor=world.authorised_user, evidence_url="https://example.org/needs.pdf"
    )
    assert done.state == StepState.DONE and done.evidence_url == "https://example.org/needs.pdf"
    assert done.changed_by == world.authorised_user and done.changed_at is not None
    # A step that asks for none is ticked as it is.
    assert checklists.tick(plain, actor=world.authorised_user).state == StepState.DONE


def test_a_step_set_aside_says_why(world: Any) -> None:
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    step = _steps(checklist)[2]
    with pytest.raises(ValidationError) as refused:
        checklists.set_aside(step, actor=world.authorised_user, reason=" ")
    assert "why this step does not apply" in str(refused.value)
    with pytest.raises(ValidationError):
        checklists.set_aside(step, actor=world.authorised_user, reason="x" * 501)
    aside = checklists.set_aside(step, actor=world.authorised_user, reason="All participants read English.")
    assert aside.state == StepState.NOT_APPLICABLE and aside.reason == "All participants read English."


def test_the_checklist_is_completed_by_its_last_step_and_opened_again_by_a_reopened_one(world: Any) -> None:
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    first, second, third = _steps(checklist)
    checklists.tick(first, actor=world.authorised_user, evidence="Survey of 40 applicants, March.")
    checklists.tick(second, actor=world.authorised_user)
    checklist.refresh_from_db()
    assert checklist.completed_at is None
    checklists.set_aside(third, actor=world.authorised_user, reason="One language only.")
    checklist.refresh_from_db()
    completed_at = checklist.completed_at
    assert completed_at is not None
    assert checklists.completion(
        checklists.checklists_of(checklist.identifier).get()
    ) == checklists.Completion(2, 1, 3)

    # Changing a done step's evidence keeps the date it was completed.
    checklists.tick(first, actor=world.authorised_user, evidence="Survey of 42 applicants, March.")
    checklist.refresh_from_db()
    assert checklist.completed_at == completed_at

    reopened = checklists.reopen(second, actor=world.authorised_user)
    assert reopened.state == StepState.OPEN
    checklist.refresh_from_db()
    assert checklist.completed_at is None
    with pytest.raises(ValidationError) as twice:
        checklists.reopen(second, actor=world.authorised_user)
    assert "open already" in str(twice.value)


def test_reopening_keeps_the_evidence_and_drops_the_reason(world: Any) -> None:
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    first, _second, third = _steps(checklist)
    checklists.tick(first, actor=world.authorised_user, evidence="Survey report")
    checklists.set_aside(third, actor=world.authorised_user, reason="One language only.")
    assert checklists.reopen(first, actor=world.authorised_user).evidence == "Survey report"
    assert checklists.reopen(third, actor=world.authorised_user).reason == ""


def test_two_people_ticking_from_the_same_page_keep_both_steps(world: Any) -> None:
    """Both loaded the page with every step open; each ticks their own step: both are kept (one
    row each), and the checklist counts both."""
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    first, second, third = _steps(checklist)
    checklists.tick(second, actor=world.authorised_user, seen=StepState.OPEN)
    checklists.set_aside(third, actor=world.focal_point, reason="One language only.", seen=StepState.OPEN)
    checklists.tick(first, actor=world.secretariat, evidence="Survey", seen=StepState.OPEN)
    assert [step.state for step in _steps(checklist)] == [
        StepState.DONE,
        StepState.DONE,
        StepState.NOT_APPLICABLE,
    ]
    checklist.refresh_from_db()
    assert checklist.completed_at is not None


def test_a_change_to_a_step_someone_else_changed_meanwhile_is_refused(world: Any) -> None:
    """One sets the step aside while another, on an older page, ticks it: the second is told,
    and the first one's reason stays."""
    checklist = checklists.start(published(world), template(), actor=world.authorised_user)
    step = _steps(checklist)[1]
    checklists.set_aside(
        step, actor=world.focal_point, reason="Men only in this ranger unit.", seen=StepState.OPEN
    )
    with pytest.raises(ValidationError) as refused:
        checklists.tick(step, actor=world.authorised_user, seen=StepState.OPEN)
    assert "Someone else changed this step" in str(refused.value)
    kept = ChecklistStep.objects.get(pk=step.pk)
    assert kept.state == StepState.NOT_APPLICABLE and kept.reason == "Men only in this ranger unit."


def test_reviewers_of_the_item_see_its_checklists_and_keep_nothing(world: Any) -> None:
    event = published(world)
    checklists.start(event, template(), actor=world.authorised_user)
    standard = Standard.objects.create(
        code="training-events", applies_to=AppliesTo.EVENT, title={"en": "Training events"}, status="in_force"
    )
    review = Review.objects.create(identifier=event.identifier, record_type="EVENT", standard=standard)
    Assignment.objects.create(review=review, reviewer=world.learner)
    Assignment.objects.create(review=review, reviewer=world.trainer, status=AssignmentStatus.DECLINED)
    assert review_services.reviewers_of(event.identifier) == {world.learner.pk}
    assert checklists.sees(world.learner, event) and not checklists.keeps(world.learner, event)
    # A reviewer who declined, and anyone else, sees nothing.
    assert not checklists.sees(world.trainer, event)
    assert not checklists.sees(world.outsider, event)
    assert checklists.sees(world.authorised_user, event) and checklists.sees(world.helpdesk_agent, event)


def test_completion_is_counted_for_many_checklists_in_one_query(
    world: Any, django_assert_num_queries: Any
) -> None:
    sop = template()
    for _ in range(3):
        made = checklists.start(published(world), sop, actor=world.authorised_user)
        checklists.tick(_steps(made)[1], actor=world.authorised_user)
    with django_assert_num_queries(1):
        counted = [checklists.completion(c) for c in checklists.with_completion(Checklist.objects.all())]
    assert counted == [checklists.Completion(1, 0, 3)] * 3
    assert checklists.Completion(1, 0, 3).percent == 33 and checklists.Completion(2, 1, 3).percent == 100
