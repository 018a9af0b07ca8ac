"""The demo's peer reviews: a course judged to meet the courses standard, carrying its mark, and
a guidance material under review with one review in and one awaited; loaded once however often
the demo runs, and refused clearly when no standard is in force."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clearinghouse.accounts import demo as accounts_demo
from clearinghouse.accounts.demo import demo_owner
from clearinghouse.learning import demo as learning_demo
from clearinghouse.organisations import demo as organisations_demo
from clearinghouse.publishing import workflow
from clearinghouse.quality import demo_reviews
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import (
    Answer,
    AppliesTo,
    Assignment,
    AssignmentStatus,
    Judgment,
    Review,
    ReviewStatus,
    VersionStatus,
)
from clearinghouse.support import services
from clearinghouse.support.models import Resource
from clearinghouse.vocabularies.models import Term

from .review_factories import _media, make_standard  # noqa: F401  (_media: files go to a test directory)


def _before_the_reviews() -> None:
    """What the reviews' demo builds on: people, organisations, the courses, and the Sahel
    observatory's manual as the support demo publishes it (the whole support demo needs the
    plan's organisations too). The standards are the standards area's demo: made here as its
    file would make them."""
    call_command("loadreference", stdout=StringIO())
    accounts_demo.load()
    organisations_demo.load()
    learning_demo.load()
    manual = services.create(
        Resource,
        actor=None,
        owner=demo_owner("OSS"),
        language="fr",
        cleaned={
            "title": demo_reviews.MATERIAL_TITLE,
            "kind": "manual",
            "authors": "Observatoire du Sahara et du Sahel",
            "publisher": "OSS",
            "year": 2024,
            "licence": "CC BY 4.0",
            "subjects": list(Term.objects.filter(code="SUBJ-RESTORATION")),
            "gbf_targets": list(Term.objects.filter(code="GBF-T2")),
        },
    )
    services.submit(manual, actor=None)
    workflow.publish(manual, actor=None)


@pytest.mark.django_db
def test_the_demo_reviews_load_once_against_the_standards_in_force() -> None:
    _before_the_reviews()
    make_standard(AppliesTo.COURSE, code="courses", min_reviews=2, max_rounds=3)
    make_standard(AppliesTo.MATERIAL, code="guidance-materials", min_reviews=2)
    first = demo_reviews.load()
    counts = (Review.objects.count(), Assignment.objects.count(), Answer.objects.count())
    again = demo_reviews.load()
    assert (Review.objects.count(), Assignment.objects.count(), Answer.objects.count()) == counts
    assert first == again and counts[:2] == (3, 6)

    # The course: changes asked in round 1, a new version published, the standard met in round 2.
    asked, course = Review.objects.filter(record_type="COURSE").order_by("round")
    assert (asked.round, asked.judgment, course.round, course.judgment) == (
        1,
        Judgment.NEEDS_CHANGES,
        2,
        Judgment.MEETS,
    )
    assert course.record_version > asked.record_version
    mark = reviews.quality_mark(course.identifier)
    assert mark is not None and mark.pk == course.pk
    assert {a.language for a in course.assignments.all()} == {"en", "fr"}
    assert asked.judged_at < course.opened_at < course.judged_at  # type: ignore[operator]

    material = Review.objects.get(record_type="RES")
    assert material.status == ReviewStatus.OPEN
    statuses = dict(material.assignments.values_list("language", "status"))
    assert statuses == {"ar": AssignmentStatus.SUBMITTED, "es": AssignmentStatus.ASSIGNED}
    # The rounds happened weeks ago, in order.
    assert course.opened_at < course.judged_at  # type: ignore[operator]
    assert all(a.submitted_at is None or a.assigned_at < a.submitted_at for a in Assignment.objects.all())


@pytest.mark.django_db
def test_the_demo_reviews_need_the_standards_in_force() -> None:
    make_standard(AppliesTo.COURSE, status=VersionStatus.RETIRED)
    with pytest.raises(CommandError, match="demo_standards"):
        demo_reviews.load()
