"""The pages of peer review: "My reviews" (a reviewer's assignments; the rounds quality staff
run), an item's reviews (its rounds and mark; where quality staff open a round), a round's page
(assigning, the reviews, the judgment), the reviewer's form, and the panel on a record's page.
Views parse and render; review_services.py decides. A round is "not found" for anyone but
quality staff, the item's authors and the round's reviewers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.languages import content_language
from clearinghouse.core.multilingual import Shown
from clearinghouse.publishing.models import Record
from clearinghouse.quality import items
from clearinghouse.quality import review_services as reviews
from clearinghouse.quality.items import Item
from clearinghouse.quality.models import Assignment, AssignmentStatus, Criterion, Review, ReviewStatus
from clearinghouse.quality.review_forms import (
    AssignForm,
    DeclineForm,
    JudgeForm,
    OpenForm,
    ReviewForm,
    WithdrawForm,
)

ROUND_FORMS: dict[str, type[Any]] = {"assign": AssignForm, "judge": JudgeForm, "withdraw": WithdrawForm}
DONE = {
    "assign": gettext_lazy("The reviewer was asked by e-mail."),
    "judge": gettext_lazy("The judgment was saved. The authors were told."),
    "withdraw": gettext_lazy("The round was withdrawn."),
}


@dataclass(frozen=True)
class AnswerShown:
    criterion: Criterion
    value: str
    comment: str


@dataclass(frozen=True)
class ReviewShown:
    """A submitted review as this reader may see it: the reviewer named or numbered."""

    assignment: Assignment
    reviewer: str
    answers: list[AnswerShown]


def _item(identifier: str) -> Item:
    item = items.item_or_none(identifier)
    if item is None or item.record_type not in items.ASSESSED_TYPES:
        raise Http404
    return item


def _shown_reviews(review: Review, viewer: Any, *, only: Assignment | None = None) -> list[ReviewShown]:
    names = reviews.sees_reviewers(review, viewer)
    submitted = (
        review.assignments.filter(status=AssignmentStatus.SUBMITTED)
        .select_related("reviewer")
        .prefetch_related("answers__criterion")
        .order_by("submitted_at", "pk")
    )
    shown = []
    for number, assignment in enumerate(submitted, start=1):
        if only is not None and assignment.pk != only.pk:
            continue
        person = assignment.reviewer
        label = (
            (person.get_full_name() or person.username)
            if names or assignment.reviewer_id == getattr(viewer, "pk", None)
            else _("Reviewer %(number)s") % {"number": number}
        )
        answers = [
            AnswerShown(
                answer.criterion, reviews.scale_label(answer.criterion.scale, answer.value), answer.comment
            )
            for answer in sorted(
                assignment.answers.all(), key=lambda a: (a.criterion.position, a.criterion.pk)
            )
        ]
        shown.append(ReviewShown(assignment, label, answers))
    return shown


# ---------------------------------------------------------------------------------------------
# My reviews


@dataclass(frozen=True)
class Row:
    """An assignment or a round on a list, with its item's title in the reader's language."""

    entry: Any
    title: Shown


def _titles(identifiers: Iterable[str]) -> dict[str, Shown]:
    """Each item's title in the reader's language, one query per record type; an item that is
    gone is named by its identifier."""
    wanted = list(identifiers)
    found = items.items_of(wanted)
    return {
        identifier: found[identifier.upper()].title()
        if identifier.upper() in found
        else Shown(identifier, "en", is_fallback=False)
        for identifier in wanted
    }


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """My assignments: to do, done and declined; for quality staff, the rounds open and judged."""
    person = signed_in(request)
    assignments = list(reviews.assignments_of(person))
    staff = items.runs_quality(person)
    open_rounds: list[Review] = []
    judged_rounds: list[Review] = []
    if staff:
        rounds = Review.objects.select_related("standard")
        open_rounds = list(rounds.filter(status=ReviewStatus.OPEN).order_by("due_on", "opened_at"))
        judged_rounds = list(rounds.filter(status=ReviewStatus.JUDGED).order_by("-judged_at")[:20])
    titles = _titles(
        [a.review.identifier for a in assignments] + [r.identifier for r in open_rounds + judged_rounds]
    )
    to_do = [
        Row(a, titles[a.review.identifier])
        for a in assignments
        if a.status == AssignmentStatus.ASSIGNED and a.review.status == ReviewStatus.OPEN
    ]
    waiting = {row.entry.pk for row in to_do}
    done = [Row(a, titles[a.review.identifier]) for a in assignments if a.pk not in waiting]
    context: dict[str, Any] = {"to_do": to_do, "done": done, "staff": staff}
    if staff:
        context |= {
            "open_rounds": [Row(r, titles[r.identifier]) for r in open_rounds],
            "judged_rounds": [Row(r, titles[r.identifier]) for r in judged_rounds],
        }
    return render(request, "quality/reviews/mine.html", context)


# ---------------------------------------------------------------------------------------------
# An item's reviews


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_reviews(request: HttpRequest, identifier: str) -> HttpResponse:
    """The item's rounds and mark, for quality staff and its authors; quality staff open a
    round here."""
    person = signed_in(request)
    item = _item(identifier)
    staff = items.runs_quality(person)
    if not staff and not items.manages(person, item.record):
        raise Http404
    form = None
    if staff and item.record.live:
        form = OpenForm(request.POST or None, standards=reviews.standards_for(item.record_type))
        if request.method == "POST" and form.is_valid():
            try:
                review = reviews.open_round(
                    person, item.identifier, form.cleaned_data["standard"], due_on=form.cleaned_data["due_on"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The round of review is open. Now assign its reviewers."))
                return redirect("quality:review", review.pk)
    elif request.method == "POST":
        raise PermissionDenied
    mark = reviews.quality_mark(item.identifier)
    return render(
        request,
        "quality/reviews/item.html",
        {
            "item": item,
            "staff": staff,
            "rounds": list(reviews.rounds_of(item.identifier)),
            "mark": mark,
            "mark_text": reviews.mark_text(mark) if mark is not None else "",
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# A round


def _round(request: HttpRequest, pk: int) -> tuple[Review, Record | None]:
    person = signed_in(request)
    review = get_object_or_404(Review.objects.select_related("standard", "opened_by", "judged_by"), pk=pk)
    found = items.item_or_none(review.identifier)
    record = found.record if found is not None else None
    if not reviews.may_see(review, person, record):
        raise Http404
    return review, record


def _round_page(
    request: HttpRequest, review: Review, record: Record | None, bound: dict[str, Any] | None = None
) -> HttpResponse:
    person = signed_in(request)
    staff = items.runs_quality(person)
    author = record is not None and items.manages(person, record)
    mine = review.assignments.filter(reviewer=person).first()
    if staff or (author and reviews.authors_read_reviews(review)):
        shown = _shown_reviews(review, person)
    elif mine is not None:
        shown = _shown_reviews(review, person, only=mine)
    else:
        shown = []
    forms: dict[str, Any] = {}
    if staff and review.status == ReviewStatus.OPEN:
        forms = {name: form(prefix=name) for name, form in ROUND_FORMS.items()}
        forms.update(bound or {})
    assignments = list(review.assignments.select_related("reviewer")) if staff else []
    submitted = sum(1 for a in review.assignments.all() if a.status == AssignmentStatus.SUBMITTED)
    return render(
        request,
        "quality/reviews/round.html",
        {
            "review": review,
            "item": items.item_or_none(review.identifier),
            "staff": staff,
            "author": author,
            "mine": mine,
            "assignments": assignments,
            "shown": shown,
            "submitted": submitted,
            "criteria": list(review.standard.criteria.all()),
            "forms": forms,
            "authors_wait": author and not staff and not reviews.authors_read_reviews(review),
        },
        status=400 if any(form.errors for form in (bound or {}).values()) else 200,
    )


@login_required
@require_safe
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    review, record = _round(request, pk)
    return _round_page(request, review, record)


@login_required
@require_POST
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Quality staff's steps on a round: assign a reviewer, judge, withdraw."""
    review, record = _round(request, pk)
    person = signed_in(request)
    if action not in ROUND_FORMS:
        raise Http404
    if not items.runs_quality(person):
        raise PermissionDenied
    form = ROUND_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        return _round_page(request, review, record, {action: form})
    data = form.cleaned_data
    try:
        if action == "assign":
            reviews.assign(person, review, data["reviewer"])
        elif action == "judge":
            reviews.judge(person, review, data["judgment"], data["note"])
        else:
            reviews.withdraw(person, review, data["reason"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _round_page(request, review, record, {action: form})
    messages.success(request, DONE[action])
    return redirect("quality:review", review.pk)


# ---------------------------------------------------------------------------------------------
# The reviewer's form


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    """The assignment, for its reviewer only; for anyone else it does not exist."""
    return get_object_or_404(
        Assignment.objects.select_related("review__standard"), pk=pk, reviewer=signed_in(request)
    )


def _assignment_page(
    request: HttpRequest,
    assignment: Assignment,
    form: ReviewForm | None = None,
    decline: DeclineForm | None = None,
) -> HttpResponse:
    review = assignment.review
    criteria = list(review.standard.criteria.select_related("standard"))
    answering = assignment.status == AssignmentStatus.ASSIGNED and review.status == ReviewStatus.OPEN
    bound = form is not None or decline is not None
    return render(
        request,
        "quality/reviews/assignment.html",
        {
            "assignment": assignment,
            "review": review,
            "item": items.item_or_none(review.identifier),
            "answering": answering,
            "form": form or (ReviewForm(criteria=criteria) if answering else None),
            "decline_form": decline or (DeclineForm(prefix="decline") if answering else None),
            "shown": _shown_reviews(review, signed_in(request), only=assignment),
        },
        status=400 if bound else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer answers every criterion, recommends and comments; once."""
    found = _assignment(request, pk)
    if request.method != "POST":
        return _assignment_page(request, found)
    criteria = list(found.review.standard.criteria.select_related("standard"))
    form = ReviewForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _assignment_page(request, found, form=form)
    try:
        reviews.submit(
            found,
            signed_in(request),
            answers=form.answers(),
            recommendation=form.cleaned_data["recommendation"],
            comment=form.cleaned_data["comment"],
            language=content_language(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _assignment_page(request, found, form=form)
    messages.success(request, _("Thank you: your review was sent to the Secretariat."))
    return redirect("quality:assignment", found.pk)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    found = _assignment(request, pk)
    form = DeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _assignment_page(request, found, decline=form)
    try:
        reviews.decline(found, signed_in(request), form.cleaned_data["reason"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _assignment_page(request, found, decline=form)
    messages.success(request, _("You declined this review. The Secretariat was told."))
    return redirect("quality:my_reviews")


# ---------------------------------------------------------------------------------------------
# The panel on a record's page


def panel(request: HttpRequest, record: Record) -> dict[str, Any] | None:
    """The item's quality mark for everyone; for quality staff and its authors, the rounds under
    way and a link to its reviews; for a reviewer asked, a link to their review."""
    mark = reviews.quality_mark(record.identifier)
    person = getattr(request, "user", None)
    staff = items.runs_quality(person)
    author = not staff and items.manages(person, record)
    context: dict[str, Any] = {
        "mark": mark,
        "mark_text": reviews.mark_text(mark) if mark is not None else "",
        "staff": staff,
        "author": author,
        "open_rounds": [],
        "my_assignment": None,
    }
    if staff or author:
        context["open_rounds"] = [
            r for r in reviews.rounds_of(record.identifier) if r.status == ReviewStatus.OPEN
        ]
    elif reviews.has_assignments(person):
        context["my_assignment"] = (
            Assignment.objects.filter(
                reviewer=person,
                review__identifier=record.identifier,
                review__status=ReviewStatus.OPEN,
                status=AssignmentStatus.ASSIGNED,
            )
            .order_by("-pk")
            .first()
        )
    if mark is None and not (staff or author) and context["my_assignment"] is None:
        return None
    return context
