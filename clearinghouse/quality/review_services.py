"""Peer review of an item (a published course, guidance material, event or offer) against a
standard in force for its kind.

The Secretariat or a help-desk agent opens a round of review of the item's published version
and assigns reviewers (any active account but the item's own authors). Each reviewer answers
every criterion on its scale, with a comment, gives a recommendation and an overall comment,
once; or declines before that, saying why. Once the standard's ``min_reviews`` reviews are in,
quality staff give the judgment: "meets the standard" gives the item its quality mark, "needs
changes" lets a next round open once the authors published a newer version, up to the
standard's ``max_rounds``; "does not meet the standard" closes the matter. Nothing is accepted
on a judged round.

Every step is one atomic service that checks who acts and from which state and tells the people
concerned by e-mail once the transaction commits (review_mail.py). Rounds are counted per item
and standard *code*: a new version of a standard continues the item's count, so retiring a
standard is no way around the limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.core.multilingual import show
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Record, Revision
from clearinghouse.quality import items, review_mail
from clearinghouse.quality.models import (
    Answer,
    Assignment,
    AssignmentStatus,
    Criterion,
    Judgment,
    Review,
    ReviewStatus,
    Scale,
    Standard,
    VersionStatus,
)

COMMENT_LENGTH = 8000
ANSWER_LENGTH = 4000
NOTE_LENGTH = 4000
REASON_LENGTH = 500

# The values each scale takes, best first, with what they mean (Answer.value holds the number).
SCALE_VALUES: dict[str, tuple[int, ...]] = {
    Scale.RATING: (5, 4, 3, 2, 1),
    Scale.MET: (2, 1, 0),
    Scale.YES_NO: (1, 0),
}


def scale_label(scale: str, value: int | None) -> str:
    """What a value on a scale means, in the reader's language."""
    if value is None:
        return ""
    if scale == Scale.MET:
        return {2: _("Met"), 1: _("Partly met"), 0: _("Not met")}.get(value, str(value))
    if scale == Scale.YES_NO:
        return {1: _("Yes"), 0: _("No")}.get(value, str(value))
    return {1: _("1 – poor"), 5: _("5 – excellent")}.get(value, str(value))


class ReviewError(ValidationError):
    """A step of peer review refused for a reason the person can read and act on."""


def _refuse(message: str, code: str) -> ReviewError:
    return ReviewError(message, code=code)


# ---------------------------------------------------------------------------------------------
# What others ask


def quality_mark(identifier: str) -> Review | None:
    """The item's latest round judged to meet its standard: the quality mark it carries."""
    return (
        Review.objects.filter(identifier=identifier, status=ReviewStatus.JUDGED, judgment=Judgment.MEETS)
        .select_related("standard")
        .order_by("-judged_at", "-pk")
        .first()
    )


def reviewers_of(identifier: str) -> set[int]:
    """Ids of the people assigned to review the item (in any round) who did not decline."""
    return set(
        Assignment.objects.filter(review__identifier=identifier)
        .exclude(status=AssignmentStatus.DECLINED)
        .values_list("reviewer_id", flat=True)
    )


def assignments_of(person: Any) -> QuerySet[Assignment]:
    """The person's assignments, newest first, with their round and standard."""
    return (
        Assignment.objects.filter(reviewer_id=getattr(person, "pk", None))
        .select_related("review__standard")
        .order_by("-assigned_at", "-pk")
    )


def has_assignments(person: Any) -> bool:
    """Whether "My reviews" has anything for the person (read once per request: the header
    asks it)."""
    if not getattr(person, "is_authenticated", False):
        return False
    cached: bool | None = getattr(person, "_has_quality_assignments", None)
    if cached is None:
        cached = Assignment.objects.filter(reviewer=person).exists()
        person._has_quality_assignments = cached
    return cached


def rounds_of(identifier: str) -> QuerySet[Review]:
    """The item's rounds of review, newest first."""
    return (
        Review.objects.filter(identifier=identifier)
        .select_related("standard")
        .annotate(
            submitted=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)),
            pending=Count("assignments", filter=Q(assignments__status=AssignmentStatus.ASSIGNED)),
        )
        .order_by("-opened_at", "-pk")
    )


def standards_for(record_type: str) -> QuerySet[Standard]:
    """The standards in force an item of this type can be reviewed against."""
    return Standard.objects.filter(status=VersionStatus.IN_FORCE, applies_to__in=items.kinds_for(record_type))


def published_version(record: Record) -> int:
    """The number of the item's latest published revision: what a round reviews, and what must
    grow before a next round."""
    published = _published_revision(record)
    if published is not None:
        return published.number
    return int(record.live_revision_number or 0)


def _published_revision(record: Record) -> Revision | None:
    return next((r for r in workflow.revisions(record) if r.status == Revision.Status.PUBLISHED), None)


def authors_to_tell(record: Record) -> list[User]:
    """Who hears of a judgment: the people who wrote and submitted the published version, when
    they still manage the item."""
    published = _published_revision(record)
    if published is None:
        return []
    people = {person for person in (published.created_by, published.submitted_by) if person is not None}
    return sorted(
        (person for person in people if person.is_active and items.manages(person, record)),
        key=lambda person: person.pk,
    )


def may_see(review: Review, person: Any, record: Record | None) -> bool:
    """Quality staff, the item's authors and the round's reviewers see a round; nobody else."""
    if items.runs_quality(person):
        return True
    if record is not None and items.manages(person, record):
        return True
    return bool(getattr(person, "pk", None)) and review.assignments.filter(reviewer=person).exists()


def sees_reviewers(review: Review, person: Any) -> bool:
    """Reviewers' names are hidden from everyone but quality staff when the standard says so."""
    return items.runs_quality(person) or not review.standard.anonymous_reviews


def authors_read_reviews(review: Review) -> bool:
    """Authors read the reviews once the round is judged (not while reviewers still write)."""
    return review.status == ReviewStatus.JUDGED


def mark_text(review: Review, language: str | None = None) -> str:
    """ "Meets the … standard, vN, judged <date>", in the active language."""
    title = show(review.standard.title, review.standard.original_language, language).text
    return _("Meets the “%(title)s” standard, v%(version)s, judged %(date)s") % {
        "title": title,
        "version": review.standard.version,
        "date": formats.date_format(timezone.localdate(review.judged_at), "DATE_FORMAT"),
    }


@dataclass(frozen=True)
class NextRound:
    """Whether a round can open now for an item and a standard, and if not, why."""

    allowed: bool
    reason: str = ""
    number: int = 1


def next_round(record: Record, standard: Standard) -> NextRound:
    """Decide whether a new round of review of ``record`` against ``standard`` may open."""
    rounds = list(
        Review.objects.filter(identifier=record.identifier, standard__code=standard.code).order_by("-round")
    )
    number = (rounds[0].round + 1) if rounds else 1
    if any(review.status == ReviewStatus.OPEN for review in rounds):
        return NextRound(False, _("This item is already under review against this standard."), number)
    judged = [review for review in rounds if review.status == ReviewStatus.JUDGED]
    if not judged:
        return NextRound(True, number=number)
    last = max(judged, key=lambda review: (review.judged_at or review.opened_at, review.pk))
    if last.judgment == Judgment.MEETS:
        return NextRound(
            False, _("This item already meets this standard: it carries its quality mark."), number
        )
    if last.judgment == Judgment.DOES_NOT_MEET:
        return NextRound(
            False, _("This item was judged not to meet this standard: no further round can open."), number
        )
    if len(judged) >= standard.max_rounds:
        limit = ngettext(
            "This item has had %(rounds)s round of review, as many as this standard allows: no further "
            "round can open.",
            "This item has had %(rounds)s rounds of review, as many as this standard allows: no further "
            "round can open.",
            standard.max_rounds,
        )
        return NextRound(False, limit % {"rounds": standard.max_rounds}, number)
    if published_version(record) <= last.record_version:
        return NextRound(
            False,
            _(
                "Changes were asked for in round %(round)s: a next round opens once the authors have "
                "published a newer version."
            )
            % {"round": last.round},
            number,
        )
    return NextRound(True, number=number)


# ---------------------------------------------------------------------------------------------
# Checks


def _staff(actor: Any) -> None:
    if not items.runs_quality(actor):
        raise PermissionDenied(_("Only the Secretariat and the help desk run peer reviews."))


def _locked_review(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("standard").get(pk=review.pk)


def _locked_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("review__standard", "reviewer")
        .get(pk=assignment.pk)
    )


def _open(review: Review) -> None:
    """Refuse anything on a round that is over, saying how it ended."""
    if review.status == ReviewStatus.JUDGED:
        raise _refuse(
            _("This round was judged on %(date)s: no review is accepted after the judgment.")
            % {"date": formats.date_format(timezone.localdate(review.judged_at), "DATE_FORMAT")},
            "judged",
        )
    if review.status == ReviewStatus.WITHDRAWN:
        raise _refuse(_("This round of review was withdrawn."), "withdrawn")


def _text(value: str, length: int, *, field: str, missing: str = "") -> str:
    text = (value or "").strip()
    if missing and not text:
        raise ReviewError({field: _refuse(missing, "required")})
    if len(text) > length:
        raise ReviewError(
            {field: _refuse(_("Keep it under %(length)s characters.") % {"length": length}, "too_long")}
        )
    return text


def _record(review: Review) -> Record:
    item = items.item_or_none(review.identifier)
    if item is None:
        raise _refuse(_("This item no longer exists."), "gone")
    return item.record


def _mail(step: str, review: Review, to: User | None, **extra: Any) -> None:
    if to is not None and to.email:
        transaction.on_commit(partial(review_mail.send, step, review.pk, to.pk, extra))


# ---------------------------------------------------------------------------------------------
# Steps


@transaction.atomic
def open_round(actor: User, identifier: str, standard: Standard, *, due_on: date | None = None) -> Review:
    """Quality staff open a round of review of a published item against a standard in force."""
    _staff(actor)
    item = items.item_or_none(identifier)
    if item is None or item.record_type not in items.ASSESSED_TYPES:
        raise _refuse(_("There is no such item to review."), "no_item")
    if not item.record.live:
        raise _refuse(_("Only a published item can be reviewed."), "not_published")
    # Locked, so two people opening at once do not both pass the checks below.
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.status != VersionStatus.IN_FORCE:
        raise ReviewError({"standard": _refuse(_("Choose a standard in force."), "not_in_force")})
    if standard.applies_to not in items.kinds_for(item.record_type):
        raise ReviewError(
            {
                "standard": _refuse(
                    _("This standard is for %(kind)s, not for this item.")
                    % {"kind": standard.get_applies_to_display().lower()},
                    "wrong_kind",
                )
            }
        )
    if not standard.criteria.exists():
        raise ReviewError({"standard": _refuse(_("This standard has no criteria to answer."), "empty")})
    if due_on is not None and due_on < timezone.localdate():
        raise ReviewError({"due_on": _refuse(_("The reviews cannot be due in the past."), "past")})
    decided = next_round(item.record, standard)
    if not decided.allowed:
        raise _refuse(decided.reason, "no_round")
    try:
        with transaction.atomic():
            return Review.objects.create(
                identifier=item.identifier,
                record_type=item.record_type,
                standard=standard,
                round=decided.number,
                record_version=published_version(item.record),
                opened_by=actor,
                due_on=due_on,
            )
    except IntegrityError:  # the same round opened twice at once
        raise _refuse(_("This item is already under review against this standard."), "no_round") from None


@transaction.atomic
def assign(actor: User, review: Review, reviewer: User) -> Assignment:
    """Quality staff ask a person to review a round; the reviewer is told by e-mail."""
    _staff(actor)
    review = _locked_review(review)
    _open(review)
    if not reviewer.is_active:
        raise ReviewError({"reviewer": _refuse(_("This account is closed."), "inactive")})
    if items.manages(reviewer, _record(review)):
        raise ReviewError(
            {
                "reviewer": _refuse(
                    _(
                        "%(name)s is one of this item's authors: reviewing one's own material is not "
                        "allowed. Choose someone else."
                    )
                    % {"name": reviewer.get_full_name() or reviewer.username},
                    "own_material",
                )
            }
        )
    if review.assignments.filter(reviewer=reviewer).exists():
        raise ReviewError(
            {"reviewer": _refuse(_("This person was already asked to review this round."), "already")}
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                review=review,
                reviewer=reviewer,
                assigned_by=actor,
                language=content_language(reviewer.preferred_language),
            )
    except IntegrityError:  # assigned twice at once
        raise ReviewError(
            {"reviewer": _refuse(_("This person was already asked to review this round."), "already")}
        ) from None
    _mail("assigned", review, reviewer)
    return assignment


def _as_reviewer(assignment: Assignment, actor: Any) -> None:
    if getattr(actor, "pk", None) != assignment.reviewer_id:
        raise PermissionDenied(_("Only the reviewer asked can answer this review."))


@transaction.atomic
def decline(assignment: Assignment, actor: User, reason: str) -> Assignment:
    """The reviewer declines before submitting, saying why; whoever opened the round is told."""
    assignment = _locked_assignment(assignment)
    _as_reviewer(assignment, actor)
    _open(assignment.review)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise _refuse(_("You already submitted your review: it can no longer be declined."), "submitted")
    if assignment.status == AssignmentStatus.DECLINED:
        raise _refuse(_("You already declined this review."), "declined")
    assignment.declined_reason = _text(
        reason, REASON_LENGTH, field="reason", missing=_("Say why you decline, for the Secretariat.")
    )
    assignment.status = AssignmentStatus.DECLINED
    assignment.save(update_fields=["status", "declined_reason"])
    _mail("declined", assignment.review, assignment.review.opened_by, reviewer=actor.pk)
    return assignment


def _value(criterion: Criterion, raw: Any) -> int:
    allowed = SCALE_VALUES.get(criterion.scale, ())
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value not in allowed:
        raise ReviewError(
            {f"value_{criterion.pk}": _refuse(_("Answer this criterion on its scale."), "value")}
        )
    return value


@transaction.atomic
def submit(
    assignment: Assignment,
    actor: User,
    *,
    answers: Mapping[int, tuple[Any, str]],
    recommendation: str,
    comment: str,
    language: str = "",
) -> Assignment:
    """The reviewer's review: every criterion answered on its scale (with a comment if they
    wish), a recommendation and an overall comment. Given once; refused after the judgment."""
    assignment = _locked_assignment(assignment)
    _as_reviewer(assignment, actor)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise _refuse(
            _("You already submitted your review of this round: a review is given once."), "submitted"
        )
    # The round is read under its lock too: a judgment given meanwhile closes it.
    review = _locked_review(assignment.review)
    _open(review)
    if assignment.status == AssignmentStatus.DECLINED:
        raise _refuse(_("You declined this review."), "declined")
    criteria = list(review.standard.criteria.all())
    problems: dict[str, list[ValidationError]] = {}
    rows: list[Answer] = []
    for criterion in criteria:
        raw, text = answers.get(criterion.pk, (None, ""))
        try:
            value = _value(criterion, raw)
            note = _text(text, ANSWER_LENGTH, field=f"comment_{criterion.pk}")
        except ReviewError as error:
            for field, errors in error.error_dict.items():
                problems.setdefault(field, []).extend(errors)
            continue
        rows.append(Answer(assignment=assignment, criterion=criterion, value=value, comment=note))
    if recommendation not in Judgment.values:
        problems.setdefault("recommendation", []).append(
            _refuse(_("Choose what you recommend."), "recommendation")
        )
    try:
        overall = _text(
            comment, COMMENT_LENGTH, field="comment", missing=_("Write your overall comment for the authors.")
        )
    except ReviewError as error:
        for field, errors in error.error_dict.items():
            problems.setdefault(field, []).extend(errors)
    if problems:
        raise ReviewError(problems)
    Answer.objects.bulk_create(rows)
    assignment.recommendation = recommendation
    assignment.comment = overall
    assignment.language = language if language in CONTENT_LANGUAGES else assignment.language
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["recommendation", "comment", "language", "status", "submitted_at"])
    _mail("submitted", review, review.opened_by, reviewer=actor.pk)
    return assignment


@transaction.atomic
def judge(actor: User, review: Review, judgment: str, note: str = "") -> Review:
    """Quality staff judge a round once enough reviews are in; the authors are told. "Needs
    changes" and "does not meet" say what the authors should know."""
    _staff(actor)
    review = _locked_review(review)
    _open(review)
    submitted = review.assignments.filter(status=AssignmentStatus.SUBMITTED).count()
    if submitted < review.standard.min_reviews:
        raise _refuse(
            _(
                "Reviews submitted: %(submitted)s. This standard needs %(needed)s before a judgment "
                "can be given."
            )
            % {"needed": review.standard.min_reviews, "submitted": submitted},
            "too_few_reviews",
        )
    if judgment not in Judgment.values:
        raise ReviewError({"judgment": _refuse(_("Choose the judgment."), "judgment")})
    text = _text(
        note,
        NOTE_LENGTH,
        field="note",
        missing="" if judgment == Judgment.MEETS else _("Tell the authors what to change, and why."),
    )
    review.judgment = judgment
    review.judgment_note = text
    review.status = ReviewStatus.JUDGED
    review.judged_at = timezone.now()
    review.judged_by = actor
    review.save(update_fields=["judgment", "judgment_note", "status", "judged_at", "judged_by"])
    record = items.item_or_none(review.identifier)
    if record is not None:
        for author in authors_to_tell(record.record):
            _mail("judged", review, author)
    return review


@transaction.atomic
def withdraw(actor: User, review: Review, reason: str) -> Review:
    """Quality staff close an open round without a judgment (the item was archived, say); the
    reason is kept in the note. Withdrawn rounds do not count against the limit."""
    _staff(actor)
    review = _locked_review(review)
    _open(review)
    review.judgment_note = _text(
        reason, NOTE_LENGTH, field="reason", missing=_("Say why the round is withdrawn.")
    )
    review.status = ReviewStatus.WITHDRAWN
    review.save(update_fields=["judgment_note", "status"])
    return review
