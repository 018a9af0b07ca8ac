"""Standards and items for the peer-review tests. The standards' data file is another area's:
these tests make the rows they need themselves, in force, with criteria on each scale; items are
published the way their authors publish them (learning's and support's factories)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.learning import authoring
from clearinghouse.learning.models import Course
from clearinghouse.learning.tests.course_factories import make_course
from clearinghouse.publishing import workflow
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import (
    AppliesTo,
    Assignment,
    Criterion,
    Review,
    Scale,
    Standard,
    VersionStatus,
)


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def six(en: str, **others: str) -> dict[str, str]:
    return {"en": en, **others}


def make_standard(
    applies_to: str = AppliesTo.COURSE,
    *,
    code: str = "",
    version: int = 1,
    status: str = VersionStatus.IN_FORCE,
    min_reviews: int = 1,
    max_rounds: int = 2,
    anonymous: bool = True,
    scales: tuple[str, ...] = (Scale.RATING, Scale.MET, Scale.YES_NO),
) -> Standard:
    """A standard with one criterion on each of ``scales``."""
    standard = Standard.objects.create(
        code=code or f"{applies_to}-quality",
        version=version,
        applies_to=applies_to,
        title=six("Quality of courses", ar="جودة الدورات", fr="Qualité des cours"),
        summary=six("What a good course offers its learners."),
        status=status,
        put_in_force_at=timezone.now() if status == VersionStatus.IN_FORCE else None,
        min_reviews=min_reviews,
        max_rounds=max_rounds,
        anonymous_reviews=anonymous,
    )
    texts = {
        Scale.RATING: ("Design", "The objectives answer the needs assessed."),
        Scale.MET: ("Delivery", "The materials are in the learners' languages."),
        Scale.YES_NO: ("Evaluation", "An evaluation of learning is planned."),
    }
    for position, scale in enumerate(scales):
        group, text = texts[scale]
        Criterion.objects.create(
            standard=standard,
            position=position,
            group=six(group, ar="التصميم"),
            text=six(text, ar="تلبي الأهداف الاحتياجات المقيمة."),
            guidance=six("Look at the course's outline and its needs assessment."),
            scale=scale,
        )
    return standard


def course(world: World, title: str = "Developing a national biodiversity finance plan") -> Course:
    """A published course by the trainer for the Kenyan NGO (its authors: the trainer and the NGO's
    editor)."""
    return make_course(world, title=title)


def republish(world: World, item: Course) -> Course:
    """The trainer revises the course and the Secretariat publishes the new version."""

    def change(current: dict[str, Any]) -> None:
        current["modules"][0]["title"] = {"en": "Module 1, revised"}

    authoring.change_outline(item, change, actor=world.trainer)
    authoring.submit(item, actor=world.trainer)
    workflow.publish(item, actor=world.secretariat)
    item.refresh_from_db()
    return item


def full_answers(review: Review, value: int | None = None) -> dict[int, tuple[Any, str]]:
    """An answer to each criterion of the round's standard: the best value of its scale."""
    return {
        criterion.pk: (value if value is not None else reviews.SCALE_VALUES[criterion.scale][0], "Clear.")
        for criterion in review.standard.criteria.all()
    }


def submitted(assignment: Assignment, recommendation: str = "meets") -> Assignment:
    return reviews.submit(
        assignment,
        assignment.reviewer,
        answers=full_answers(assignment.review),
        recommendation=recommendation,
        comment="A clear, well-built course.",
        language="en",
    )


def under_review(
    world: World, *, reviewers: tuple[User, ...] = (), **standard: Any
) -> tuple[Course, Review, list[Assignment]]:
    """A published course, a round opened by the Secretariat and reviewers assigned (the learner
    and the outsider by default: neither manages the course)."""
    item = course(world)
    opened = reviews.open_round(world.secretariat, item.identifier, make_standard(**standard))
    people = reviewers or (world.learner, world.outsider)
    return item, opened, [reviews.assign(world.secretariat, opened, person) for person in people]
