"""The checklists' demo: on the Cairo workshop, a checklist completed with evidence in Arabic and
one step set aside; on the Russian course, one half done; loaded once however often it runs,
and refused with a clear message when no template is in force (the standards' demo loads
first). The workshop and the course are made here with the demo's titles: their own demos load
far more than these tests need."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management.base import CommandError

from clearinghouse.events.tests.factories import published
from clearinghouse.learning.tests.factories import course
from clearinghouse.quality import checklists, demo_checklists
from clearinghouse.quality.models import AppliesTo, Checklist, ChecklistStep, StepState
from clearinghouse.quality.tests.checklist_factories import template

pytestmark = pytest.mark.django_db


def _steps(*texts: str, evidence: tuple[int, ...] = ()) -> list[tuple[dict[str, str], bool]]:
    return [({"en": text}, position in evidence) for position, text in enumerate(texts)]


EVENT_STEPS = _steps(
    "Needs assessment done.",
    "Learning objectives and agenda written.",
    "Gender balance considered in selecting participants and trainers.",
    "Representatives of indigenous peoples and local communities and of youth invited.",
    "Materials in the participants' languages.",
    "Interpretation arranged where needed.",
    "Venue accessibility for people with disabilities checked.",
    "Trainers confirmed and briefed on the objectives.",
    "Evaluation planned.",
    "Event report with evaluation results published.",
    "Follow-up with participants planned.",
    # A step the demo has no words for: ticked with the event's page.
    "Certificates of attendance prepared.",
    evidence=(0, 1, 4, 7, 8, 9, 11),
)
COURSE_STEPS = _steps(
    "Needs assessment and audience analysis done.",
    "Learning objectives and syllabus set.",
    "Content reviewed by a subject expert.",
    "Gender balance considered in examples and images.",
    "Case studies from different regions included.",
    "Materials in the learners' languages.",
    "Accessibility checked (captions, alternative text, keyboard).",
    "Assessments and certificate criteria prepared.",
    "Course piloted with a small group of learners.",
    "Evaluation and learner feedback planned.",
    evidence=(0, 1, 5, 7, 8),
)


def _demo_records(world: Any) -> tuple[Any, Any]:
    workshop = published(world, {"title": demo_checklists.EVENT_TITLE})
    monitoring = course(world)
    monitoring.title = {"ru": demo_checklists.COURSE_TITLE}
    monitoring.save(update_fields=["title"])
    return workshop, monitoring


def test_the_demo_completes_the_workshops_checklist_and_half_the_courses_once(world: Any) -> None:
    workshop, monitoring = _demo_records(world)
    template(steps=EVENT_STEPS)
    template(code="producing-course", applies_to=AppliesTo.COURSE, steps=COURSE_STEPS)
    said = demo_checklists.load()
    assert workshop.identifier in said[0] and monitoring.identifier in said[0]
    demo_checklists.load()
    assert Checklist.objects.count() == 2
    assert ChecklistStep.objects.count() == len(EVENT_STEPS) + len(COURSE_STEPS)

    on_event = checklists.checklists_of(workshop.identifier).get()
    assert checklists.completion(on_event) == checklists.Completion(11, 1, 12)
    steps = list(on_event.steps.order_by("position"))
    # Completed when its last step was done: the follow-up, three weeks after the workshop.
    assert on_event.completed_at == max(step.changed_at for step in steps)
    assert on_event.created_at < min(step.changed_at for step in steps)
    assert steps[0].evidence.startswith("استبيان") and steps[0].evidence_url.endswith("needs-survey.pdf")
    assert steps[3].state == StepState.NOT_APPLICABLE and "صيادو" in steps[3].reason
    assert steps[11].evidence == demo_checklists.EVENT_OTHERWISE
    assert steps[11].evidence_url.endswith(workshop.get_absolute_url())
    assert {step.changed_by for step in steps} == {world.authorised_user}
    # Each step got its own work (the trainers' step names the objectives too).
    assert len({step.evidence or step.reason for step in steps}) == len(steps)
    assert "المدرّبين الأربعة" in steps[7].evidence

    on_course = checklists.checklists_of(monitoring.identifier).get()
    assert on_course.completed_at is None
    assert checklists.completion(on_course) == checklists.Completion(5, 1, 10)
    course_steps = list(on_course.steps.order_by("position"))
    assert [step.state for step in course_steps[5:7] + course_steps[8:]] == [StepState.OPEN] * 4
    assert "70" in course_steps[7].evidence
    assert len({step.evidence or step.reason for step in course_steps[:5]}) == 5


def test_the_demo_says_what_is_missing_without_a_template_in_force(world: Any) -> None:
    _demo_records(world)
    # The event's template is in force, the course's is not: nothing is loaded.
    template(steps=EVENT_STEPS)
    with pytest.raises(CommandError, match="No checklist template is in force for Courses"):
        demo_checklists.load()
    assert not Checklist.objects.exists()
