"""Quality data for the dashboard, measures and statistics tests, made directly on the models
(the standards, checklists, reviews and ratings services are tested in their own areas): items
(a Kenyan workshop, course and guidance material, a Tanzanian material), a standard and a
checklist template per kind, review rounds with their reviewers, checklists with steps, and
ratings by people of a country."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any

from django.utils import timezone

from clearinghouse.core.testing import World, make_user
from clearinghouse.events.tests.attendance_factories import make_event
from clearinghouse.geo.models import Country
from clearinghouse.learning.tests.cert_factories import make_course
from clearinghouse.publishing.models import Record
from clearinghouse.quality.models import (
    AppliesTo,
    Assignment,
    AssignmentStatus,
    Checklist,
    ChecklistStep,
    ChecklistTemplate,
    Criterion,
    Judgment,
    Rating,
    Review,
    ReviewStatus,
    Standard,
    StepState,
    TemplateStep,
    VersionStatus,
)
from clearinghouse.support.models import Resource

_numbers = count(1)


def _texts(english: str) -> dict[str, str]:
    return {
        "en": english,
        "fr": f"{english} (fr)",
        "es": f"{english} (es)",
        "ar": f"{english} (ar)",
        "ru": f"{english} (ru)",
        "zh": f"{english} (zh)",
    }


def material(world: World, *, owner: Country | None = None, **values: Any) -> Resource:
    """A published guidance material of Kenya (or of ``owner``)."""
    number = next(_numbers)
    country = owner or world.kenya
    defaults: dict[str, Any] = {
        "identifier": f"CB-RES-{country.code}-{number:06d}",
        "owner_country": country,
        "original_language": "en",
        "title": {"en": f"Guide to invasive species {number}", "ar": f"دليل الأنواع الغازية {number}"},
        "kind": "guide",
        "state": "published",
        "live": True,
    }
    return Resource.objects.create(**(defaults | values))


def event(world: World, **values: Any) -> Record:
    return make_event(world, past=True, **values)


def course(world: World, **values: Any) -> Record:
    return make_course(world, **values)


def standard(applies_to: str = AppliesTo.MATERIAL, **values: Any) -> Standard:
    """A standard in force with two criteria."""
    number = next(_numbers)
    found = Standard.objects.create(
        code=values.pop("code", f"{applies_to}-standard-{number}"),
        applies_to=applies_to,
        title=_texts(f"Standard for {applies_to}"),
        status=VersionStatus.IN_FORCE,
        put_in_force_at=timezone.now(),
        **values,
    )
    for position in (1, 2):
        Criterion.objects.create(standard=found, position=position, text=_texts(f"Criterion {position}"))
    return found


def review(
    item: Record,
    on: Standard,
    *,
    round: int = 1,
    judgment: str = "",
    judged_at: datetime | None = None,
    opened_at: datetime | None = None,
    due_on: date | None = None,
    judge: Any = None,
) -> Review:
    """A review round of the item; judged when ``judgment`` is given."""
    return Review.objects.create(
        identifier=item.identifier,
        record_type=item.RECORD_TYPE,
        standard=on,
        round=round,
        status=ReviewStatus.JUDGED if judgment else ReviewStatus.OPEN,
        judgment=judgment,
        judged_at=(judged_at or timezone.now()) if judgment else None,
        judged_by=judge,
        opened_at=opened_at or timezone.now(),
        due_on=due_on,
    )


def assign(found: Review, reviewer: Any, *, submitted: bool = False, declined: bool = False) -> Assignment:
    if submitted:
        return Assignment.objects.create(
            review=found,
            reviewer=reviewer,
            status=AssignmentStatus.SUBMITTED,
            submitted_at=timezone.now(),
            recommendation=Judgment.MEETS,
            comment="Clear and complete.",
        )
    if declined:
        return Assignment.objects.create(
            review=found, reviewer=reviewer, status=AssignmentStatus.DECLINED, declined_reason="No time."
        )
    return Assignment.objects.create(review=found, reviewer=reviewer)


def template(applies_to: str = AppliesTo.EVENT, *, steps: int = 4) -> ChecklistTemplate:
    number = next(_numbers)
    found = ChecklistTemplate.objects.create(
        code=f"{applies_to}-checklist-{number}",
        applies_to=applies_to,
        title=_texts(f"Organising: {applies_to}"),
        status=VersionStatus.IN_FORCE,
        put_in_force_at=timezone.now(),
    )
    for position in range(1, steps + 1):
        TemplateStep.objects.create(template=found, position=position, text=_texts(f"Step {position}"))
    return found


def checklist(
    item: Record, on: ChecklistTemplate, *, done: int = 0, when: datetime | None = None
) -> Checklist:
    """The template's steps copied onto the item, the first ``done`` of them done; completed
    (at ``when``, or now) when every step is."""
    steps = list(on.steps.all())
    complete = done >= len(steps)
    found = Checklist.objects.create(
        identifier=item.identifier,
        record_type=item.RECORD_TYPE,
        template=on,
        created_at=when or timezone.now(),
        completed_at=(when or timezone.now()) if complete else None,
    )
    for index, step in enumerate(steps):
        ChecklistStep.objects.create(
            checklist=found,
            source=step,
            position=step.position,
            text=step.text,
            state=StepState.DONE if index < done else StepState.OPEN,
        )
    return found


def raters(world: World, number: int, *, prefix: str = "rater") -> list[Any]:
    """People of Kenya who can rate."""
    found = []
    for index in range(number):
        person = make_user(f"{prefix}{next(_numbers)}x{index}", "Rater", f"{index}")
        person.country = world.kenya
        person.save(update_fields=["country"])
        found.append(person)
    return found


def rate(
    item: Record | None,
    person: Any,
    stars: int,
    *,
    country: Country | None = None,
    at: datetime | None = None,
    cooperation: Any = None,
    comment: str = "",
) -> Rating:
    when = at or timezone.now()
    return Rating.objects.create(
        identifier=item.identifier if item is not None else "",
        record_type=item.RECORD_TYPE if item is not None else "",
        cooperation=cooperation,
        person=person,
        stars=stars,
        comment=comment,
        language="en",
        country=country,
        created_at=when,
        updated_at=when,
    )
