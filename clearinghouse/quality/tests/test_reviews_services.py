"""Peer review through its services: opening a round, assigning reviewers (never the item's own
authors), answering once or declining, the judgment after enough reviews, nothing after the
judgment, and the next round after "needs changes" only for a newer published version and
within the standard's limit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.models import (
    AppliesTo,
    AssignmentStatus,
    Judgment,
    ReviewStatus,
    VersionStatus,
)

from .review_factories import (  # noqa: F401  (_media: the course's files go to a test directory)
    _media,
    course,
    full_answers,
    make_standard,
    republish,
    submitted,
    under_review,
)


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {item.code or "" for errors in error.error_dict.values() for item in errors}
    return {item.code or "" for item in error.error_list}


def test_quality_staff_open_a_round_of_the_published_version_against_a_standard_in_force(
    world: World,
) -> None:
    item = course(world)
    standard = make_standard()
    review = reviews.open_round(world.helpdesk_agent, item.identifier, standard)
    assert (review.round, review.status, review.record_type) == (1, ReviewStatus.OPEN, "COURSE")
    # The version reviewed is the published revision's number: a next round needs a newer one.
    assert review.record_version == reviews.published_version(item) == item.live_revision_number


def test_only_quality_staff_open_rounds_and_only_against_a_standard_in_force_for_the_kind(
    world: World,
) -> None:
    item = course(world)
    with pytest.raises(PermissionDenied):
        reviews.open_round(world.trainer, item.identifier, make_standard())
    with pytest.raises(ValidationError) as retired:
        reviews.open_round(
            world.secretariat, item.identifier, make_standard(code="old", status=VersionStatus.RETIRED)
        )
    assert codes(retired.value) == {"not_in_force"}
    with pytest.raises(ValidationError) as wrong_kind:
        reviews.open_round(world.secretariat, item.identifier, make_standard(AppliesTo.EVENT))
    assert codes(wrong_kind.value) == {"wrong_kind"}
    with pytest.raises(ValidationError) as missing:
        reviews.open_round(world.secretariat, "CB-COURSE-XX-999999", make_standard(code="other"))
    assert codes(missing.value) == {"no_item"}


def test_an_unpublished_course_cannot_be_reviewed(world: World) -> None:
    from clearinghouse.learning.tests.course_factories import make_course

    draft = make_course(world, publish=False)
    with pytest.raises(ValidationError) as refused:
        reviews.open_round(world.secretariat, draft.identifier, make_standard())
    assert codes(refused.value) == {"not_published"}


def test_a_second_open_round_against_the_same_standard_is_refused(world: World) -> None:
    item, review, _assignments = under_review(world)
    with pytest.raises(ValidationError, match="already under review"):
        reviews.open_round(world.secretariat, item.identifier, review.standard)


def test_reviewers_are_asked_by_email_in_their_language(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    item = course(world)
    review = reviews.open_round(world.secretariat, item.identifier, make_standard())
    with django_capture_on_commit_callbacks(execute=True):
        assignment = reviews.assign(world.secretariat, review, world.outsider)
    assert assignment.language == "ru"
    (message,) = mail.outbox
    assert message.to == [world.outsider.email]
    assert item.title["en"] in message.subject
    # Ivan reads Russian: the link opens his review in Russian.
    assert f"/ru/quality/reviews/assignments/{assignment.pk}/" in message.body


def test_reviewing_ones_own_material_is_refused(world: World) -> None:
    item = course(world)
    review = reviews.open_round(world.secretariat, item.identifier, make_standard())
    # The trainer wrote the course; the NGO's editor may draft it too: both are its authors.
    for author in (world.trainer, world.partner_editor):
        with pytest.raises(ValidationError, match="reviewing one's own material is not allowed") as refused:
            reviews.assign(world.secretariat, review, author)
        assert codes(refused.value) == {"own_material"}
    assert not review.assignments.exists()


def test_a_person_is_asked_once_per_round_and_only_by_quality_staff(world: World) -> None:
    _item, review, _assignments = under_review(world)
    with pytest.raises(ValidationError) as twice:
        reviews.assign(world.secretariat, review, world.learner)
    assert codes(twice.value) == {"already"}
    with pytest.raises(PermissionDenied):
        reviews.assign(world.learner, review, world.focal_point)
    world.focal_point.is_active = False
    world.focal_point.save()
    with pytest.raises(ValidationError) as closed:
        reviews.assign(world.secretariat, review, world.focal_point)
    assert codes(closed.value) == {"inactive"}


def test_a_reviewer_answers_every_criterion_once(world: World) -> None:
    _item, review, (assignment, _other) = under_review(world)
    submitted(assignment)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED and assignment.submitted_at is not None
    assert assignment.answers.count() == review.standard.criteria.count() == 3
    with pytest.raises(ValidationError, match="a review is given once") as again:
        submitted(assignment)
    assert codes(again.value) == {"submitted"}
    assert assignment.answers.count() == 3


def test_a_review_with_a_missing_or_out_of_scale_answer_saves_nothing(world: World) -> None:
    _item, review, (assignment, _other) = under_review(world)
    answers = full_answers(review)
    rating, met, yes_no = review.standard.criteria.all()
    answers[rating.pk] = (6, "")  # off the 1–5 scale
    answers[met.pk] = (3, "")  # met is 0–2
    del answers[yes_no.pk]
    with pytest.raises(ValidationError) as refused:
        reviews.submit(
            assignment, world.learner, answers=answers, recommendation="maybe", comment="  ", language="en"
        )
    fields = set(refused.value.error_dict)
    assert fields == {
        f"value_{rating.pk}",
        f"value_{met.pk}",
        f"value_{yes_no.pk}",
        "recommendation",
        "comment",
    }
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED and not assignment.answers.exists()


def test_only_the_reviewer_asked_submits_or_declines(world: World) -> None:
    _item, review, (assignment, _other) = under_review(world)
    with pytest.raises(PermissionDenied):
        reviews.submit(
            assignment,
            world.outsider,
            answers=full_answers(review),
            recommendation="meets",
            comment="Good.",
        )
    with pytest.raises(PermissionDenied):
        reviews.decline(assignment, world.secretariat, "Not mine to decline.")


def test_a_reviewer_declines_with_a_reason_before_submitting_and_not_after(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    _item, _review, (assignment, other) = under_review(world)
    with pytest.raises(ValidationError) as no_reason:
        reviews.decline(assignment, world.learner, "")
    assert codes(no_reason.value) == {"required"}
    with django_capture_on_commit_callbacks(execute=True):
        reviews.decline(assignment, world.learner, "I helped write its first module.")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    # The Secretariat, who opened the round, hears it (in Arabic, her language).
    assert [message.to for message in mail.outbox] == [[world.secretariat.email]]
    with pytest.raises(ValidationError):
        submitted(assignment)
    submitted(other)
    with pytest.raises(ValidationError) as too_late:
        reviews.decline(other, world.outsider, "Changed my mind.")
    assert codes(too_late.value) == {"submitted"}


def test_the_judgment_waits_for_the_reviews_the_standard_asks(world: World) -> None:
    _item, review, (first, second) = under_review(world, min_reviews=2)
    submitted(first)
    with pytest.raises(ValidationError, match="This standard needs 2 before a judgment") as early:
        reviews.judge(world.secretariat, review, Judgment.MEETS)
    assert codes(early.value) == {"too_few_reviews"}
    submitted(second)
    with pytest.raises(PermissionDenied):
        reviews.judge(world.trainer, review, Judgment.MEETS)
    judged = reviews.judge(world.secretariat, review, Judgment.MEETS)
    assert judged.status == ReviewStatus.JUDGED and judged.judged_by == world.secretariat


def test_changes_asked_for_must_be_explained(world: World) -> None:
    _item, review, (first, _second) = under_review(world)
    submitted(first, "needs_changes")
    with pytest.raises(ValidationError) as silent:
        reviews.judge(world.secretariat, review, Judgment.NEEDS_CHANGES, "")
    assert codes(silent.value) == {"required"}
    with pytest.raises(ValidationError):
        reviews.judge(world.secretariat, review, "excellent")
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_a_review_after_the_judgment_is_refused(world: World) -> None:
    _item, review, (first, late) = under_review(world)
    submitted(first)
    reviews.judge(world.secretariat, review, Judgment.MEETS)
    with pytest.raises(ValidationError, match="no review is accepted after the judgment") as refused:
        submitted(late)
    assert codes(refused.value) == {"judged"}
    with pytest.raises(ValidationError):
        reviews.judge(world.secretariat, review, Judgment.DOES_NOT_MEET, "Second thoughts.")
    with pytest.raises(ValidationError):
        reviews.assign(world.secretariat, review, world.focal_point)


def test_meeting_the_standard_gives_the_quality_mark_and_tells_the_authors(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    item, review, (first, _second) = under_review(world)
    submitted(first)
    assert reviews.quality_mark(item.identifier) is None
    with django_capture_on_commit_callbacks(execute=True):
        reviews.judge(world.secretariat, review, Judgment.MEETS, "Well done.")
    mark = reviews.quality_mark(item.identifier)
    assert mark is not None and mark.pk == review.pk
    assert reviews.mark_text(mark).startswith("Meets the “Quality of courses” standard, v1, judged ")
    # The trainer wrote and submitted the published version: they hear the judgment.
    assert [message.to for message in mail.outbox] == [[world.trainer.email]]
    # In Pierre's French: the judgment as French names it, the link to the French page.
    with translation.override("fr"):
        meets = str(Judgment.MEETS.label)
    assert meets in mail.outbox[0].body and "/fr/quality/reviews/item/" in mail.outbox[0].body
    # The declined and pending reviewers stay reviewers of the item until they decline.
    assert reviews.reviewers_of(item.identifier) == {world.learner.pk, world.outsider.pk}
    # An item that meets the standard is not reviewed again against it.
    with pytest.raises(ValidationError, match="already meets"):
        reviews.open_round(world.secretariat, item.identifier, review.standard)


def test_needs_changes_opens_a_next_round_only_for_a_newer_published_version(world: World) -> None:
    item, review, (first, _second) = under_review(world, max_rounds=2)
    submitted(first, "needs_changes")
    reviews.judge(world.secretariat, review, Judgment.NEEDS_CHANGES, "Add an evaluation.")
    with pytest.raises(ValidationError, match="published a newer version"):
        reviews.open_round(world.secretariat, item.identifier, review.standard)
    item = republish(world, item)
    second_round = reviews.open_round(world.secretariat, item.identifier, review.standard)
    assert second_round.round == 2 and second_round.record_version > review.record_version
    # Round 2 of 2 needs changes again: the limit is reached, whatever is published next.
    submitted(reviews.assign(world.secretariat, second_round, world.learner), "needs_changes")
    reviews.judge(world.secretariat, second_round, Judgment.NEEDS_CHANGES, "Still no evaluation.")
    item = republish(world, item)
    with pytest.raises(ValidationError, match="has had 2 rounds of review, as many as this standard allows"):
        reviews.open_round(world.secretariat, item.identifier, review.standard)


def test_a_new_version_of_the_standard_continues_the_count_of_rounds(world: World) -> None:
    item, review, (first, _second) = under_review(world, max_rounds=1)
    submitted(first, "needs_changes")
    reviews.judge(world.secretariat, review, Judgment.NEEDS_CHANGES, "Add an evaluation.")
    review.standard.status = VersionStatus.RETIRED
    review.standard.save()
    newer = make_standard(version=2, max_rounds=1)
    item = republish(world, item)
    with pytest.raises(ValidationError, match="has had 1 round of review"):
        reviews.open_round(world.secretariat, item.identifier, newer)


def test_does_not_meet_closes_the_matter(world: World) -> None:
    item, review, (first, _second) = under_review(world)
    submitted(first, "does_not_meet")
    reviews.judge(world.secretariat, review, Judgment.DOES_NOT_MEET, "Out of scope.")
    item = republish(world, item)
    with pytest.raises(ValidationError, match="no further round can open"):
        reviews.open_round(world.secretariat, item.identifier, review.standard)
    assert reviews.quality_mark(item.identifier) is None


def test_a_withdrawn_round_takes_nothing_and_does_not_count(world: World) -> None:
    item, review, (first, _second) = under_review(world, max_rounds=1)
    with pytest.raises(ValidationError):
        reviews.withdraw(world.secretariat, review, "")
    reviews.withdraw(world.secretariat, review, "Opened against the wrong course.")
    with pytest.raises(ValidationError, match="withdrawn"):
        submitted(first)
    again = reviews.open_round(world.secretariat, item.identifier, review.standard)
    assert again.round == 2


def test_reviewers_of_leaves_out_who_declined(world: World) -> None:
    item, _review, (first, second) = under_review(world)
    reviews.decline(first, world.learner, "No time this month.")
    assert reviews.reviewers_of(item.identifier) == {second.reviewer_id}
    assert reviews.reviewers_of("CB-COURSE-XX-000000") == set()
