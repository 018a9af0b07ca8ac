"""The pages of mentoring: my relations, asking a mentor, and a relation's own page with its
goals, notes, the steps allowed now and the ratings. Views parse and render; mentoring.py
decides. A relation is shown to its two people only: anyone else gets "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.community import mentoring
from clearinghouse.community.mentoring_forms import FORMS, AskForm
from clearinghouse.community.models import OPEN_MENTORING, MentoringStatus, Mentorship
from clearinghouse.core.forms import add_service_errors

DONE = {
    "accept": gettext_lazy("You accepted. Agree on the goals together, then write them here to start."),
    "decline": gettext_lazy("You declined the request. The mentee was told."),
    "withdraw": gettext_lazy("Your request was withdrawn. The mentor was told."),
    "start": gettext_lazy("The goals are written: the mentoring is under way."),
    "goals": gettext_lazy("The goals were saved."),
    "note": gettext_lazy("Your note was added."),
    "complete": gettext_lazy("The mentoring is completed. Thank you; please rate it."),
    "end": gettext_lazy("The mentoring was ended. The other side was told."),
    "rate": gettext_lazy("Thank you for your rating."),
}


@dataclass(frozen=True)
class Row:
    """A relation on my list, with the other side named as they allow."""

    relation: Mentorship
    other: str
    as_mentor: bool


def _relation(request: HttpRequest, pk: int) -> Mentorship:
    """The relation, for its two people only; for anyone else it does not exist."""
    person = signed_in(request)
    return get_object_or_404(
        Mentorship.objects.select_related("mentee", "mentor", "subject"),
        Q(mentee=person) | Q(mentor=person),
        pk=pk,
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """My relations, as mentee and as mentor, by state; the requests I must answer first."""
    person = signed_in(request)
    relations = mentoring.of(person).select_related("mentee", "mentor", "subject").order_by("-created_at")
    rows = [
        Row(
            relation=item,
            other=mentoring.name_for(item, person, mentoring.other_side(item, person)),
            as_mentor=item.mentor_id == person.pk,
        )
        for item in relations
    ]
    to_answer = [row for row in rows if row.as_mentor and row.relation.status == MentoringStatus.PENDING]
    groups = []
    for role, as_mentor in ((_("As mentee"), False), (_("As mentor"), True)):
        mine_here = [row for row in rows if row.as_mentor == as_mentor and row not in to_answer]
        by_state = [
            (label, [row for row in mine_here if row.relation.status == status])
            for status, label in MentoringStatus.choices
        ]
        groups.append((role, [(label, items) for label, items in by_state if items]))
    return render(
        request,
        "community/mentoring/mine.html",
        {"to_answer": to_answer, "groups": groups, "any": bool(rows)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """Ask the person ``?mentor=<pk>`` to mentor me."""
    person = signed_in(request)
    try:
        mentor_pk = int(request.GET.get("mentor", ""))
    except ValueError:
        raise Http404 from None
    mentor = User.objects.filter(pk=mentor_pk, is_active=True).first()
    # Whether an account exists is not told: a person who does not mentor is simply not found.
    if mentor is None or mentor.pk == person.pk or not mentoring.can_mentor(mentor):
        raise Http404
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mentorship = mentoring.ask(
                person,
                mentor,
                subject=data["subject"],
                topic=data["topic"],
                request=data["request"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your request was sent. You will be told by e-mail when the mentor answers.")
            )
            return redirect("community:mentorship", mentorship.pk)
    already = mentoring.of(person).filter(mentee=person, mentor=mentor, status__in=OPEN_MENTORING).first()
    return render(
        request,
        "community/mentoring/ask.html",
        {"form": form, "mentor": mentor, "mentor_name": mentoring.public_name(mentor), "already": already},
    )


def _page(request: HttpRequest, mentorship: Mentorship, bound: dict[str, Any] | None = None) -> HttpResponse:
    person = signed_in(request)
    allowed = mentoring.actions_for(mentorship, person)
    forms = {name: FORMS[name](prefix=name) for name in allowed if name in FORMS}
    if "goals" in forms:
        forms["goals"] = FORMS["goals"](prefix="goals", initial={"goals": mentorship.goals})
    forms.update(bound or {})
    status = 400 if any(form.errors for form in (bound or {}).values()) else 200
    mentee = person.pk == mentorship.mentee_id
    return render(
        request,
        "community/mentoring/mentorship.html",
        {
            "mentorship": mentorship,
            "as_mentee": mentee,
            "other_name": mentoring.name_for(mentorship, person, mentoring.other_side(mentorship, person)),
            "allowed": allowed,
            "forms": forms,
            "notes": mentorship.notes.select_related("author"),
            "my_rating": mentorship.mentee_rating if mentee else mentorship.mentor_rating,
            "my_comment": mentorship.mentee_comment if mentee else mentorship.mentor_comment,
            "their_rating": mentorship.mentor_rating if mentee else mentorship.mentee_rating,
            "their_comment": mentorship.mentor_comment if mentee else mentorship.mentee_comment,
        },
        status=status,
    )


@login_required
@require_safe
def mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _relation(request, pk))


def _run(action: str, relation: Mentorship, person: User, data: dict[str, Any]) -> object:
    if action == "accept":
        return mentoring.accept(relation, person)
    if action == "decline":
        return mentoring.decline(relation, person, data["reason"])
    if action == "withdraw":
        return mentoring.withdraw(relation, person, data["reason"])
    if action == "start":
        return mentoring.start(relation, person, data["goals"])
    if action == "goals":
        return mentoring.revise_goals(relation, person, data["goals"])
    if action == "note":
        return mentoring.note(relation, person, data["body"])
    if action == "complete":
        return mentoring.complete(relation, person)
    if action == "end":
        return mentoring.end(relation, person, data["reason"])
    return mentoring.rate(relation, person, data["rating"], data["comment"])


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step on the relation. A note sent with htmx answers with the notes and a fresh form;
    everything else (and a note without JavaScript) returns to the page."""
    relation = _relation(request, pk)
    person = signed_in(request)
    if action not in DONE:
        raise Http404
    form_class = FORMS.get(action)
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is not None and not form.is_valid():
        return _answer(request, relation, action, form)
    try:
        _run(action, relation, person, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("community:mentorship", relation.pk)
        add_service_errors(form, error)
        return _answer(request, relation, action, form)
    if action == "note" and request.headers.get("HX-Request"):
        return _notes(request, _relation(request, pk), FORMS["note"](prefix="note"), sent=True)
    messages.success(request, DONE[action])
    return redirect("community:mentorship", relation.pk)


def _answer(request: HttpRequest, relation: Mentorship, action: str, form: Any) -> HttpResponse:
    if action == "note" and request.headers.get("HX-Request"):
        return _notes(request, relation, form)
    return _page(request, relation, {action: form})


def _notes(request: HttpRequest, relation: Mentorship, form: Any, *, sent: bool = False) -> HttpResponse:
    return render(
        request,
        "community/mentoring/_notes.html",
        {
            "mentorship": relation,
            "notes": relation.notes.select_related("author"),
            "note_form": form,
            "allowed": mentoring.actions_for(relation, signed_in(request)),
            "sent": sent,
        },
        # htmx swaps only successful answers: a refused note comes back with its errors shown.
        status=200,
    )
