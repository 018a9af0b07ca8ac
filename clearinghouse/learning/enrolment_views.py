"""The trainer's pages of a course's learners: who is enrolled and how far they are, cohorts
(with the button that enrols an event's participants), invitations. Views parse and render;
enrolment.py decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.forms import add_service_errors
from clearinghouse.core.languages import content_language
from clearinghouse.learning import enrolment as services
from clearinghouse.learning import progress
from clearinghouse.learning.enrolment_forms import CohortForm, InvitationForm
from clearinghouse.learning.models import Cohort, Course, EnrolmentStatus
from clearinghouse.learning.study_forms import shown

PAGE_SIZE = 50


def _taught(request: HttpRequest, identifier: str) -> Course:
    course = get_object_or_404(Course, identifier=identifier)
    if not services.teaches(signed_in(request), course):
        raise PermissionDenied(_("Only the course's trainers manage who studies it."))
    return course


def _title(course: Course) -> str:
    return shown(course.title, content_language()) or course.identifier


def _learner_rows(enrolments: Any) -> list[dict[str, Any]]:
    rows = []
    for enrolment in enrolments:
        seen = {row.item_key: row for row in enrolment.progress.all()}
        rows.append({"enrolment": enrolment, "standing": progress.standing(enrolment, seen)})
    return rows


@login_required
@require_safe
def learners(request: HttpRequest, identifier: str) -> HttpResponse:
    """The course's learners with their progress, and how many study, completed, passed, left."""
    course = _taught(request, identifier)
    enrolments = (
        course.enrolments.select_related("person", "cohort")
        .prefetch_related("progress")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    counts = course.enrolments.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        withdrawn=Count("pk", filter=Q(status=EnrolmentStatus.WITHDRAWN)),
        passed=Count("pk", filter=Q(passed=True)),
    )
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/study/teach_learners.html",
        {
            "course": course,
            "title": _title(course),
            "page_obj": page,
            "rows": _learner_rows(page.object_list),
            "counts": counts,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohorts(request: HttpRequest, identifier: str) -> HttpResponse:
    """The course's cohorts, and a form to make one."""
    course = _taught(request, identifier)
    person = signed_in(request)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.create_cohort(
                course,
                actor=person,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                event=data.get("event"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cohort is made."))
            return redirect("learning:cohort", course.identifier, cohort.pk)
    listed = course.cohorts.select_related("event").annotate(
        learners=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN))
    )
    return render(
        request,
        "learning/study/teach_cohorts.html",
        {"course": course, "title": _title(course), "cohorts": listed, "form": form},
    )


@login_required
@require_safe
def cohort(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    course = _taught(request, identifier)
    group = get_object_or_404(Cohort.objects.select_related("event"), course=course, pk=pk)
    enrolments = (
        group.enrolments.select_related("person")
        .prefetch_related("progress")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return render(
        request,
        "learning/study/teach_cohort.html",
        {
            "course": course,
            "title": _title(course),
            "cohort": group,
            "event_title": shown(group.event.title, content_language()) if group.event else "",
            "rows": _learner_rows(enrolments),
        },
    )


@login_required
@require_POST
def enrol_event(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    """Enrol the event's confirmed participants now (the worker also does it every night)."""
    course = _taught(request, identifier)
    group = get_object_or_404(Cohort, course=course, pk=pk)
    if group.event_id is None:
        messages.error(request, _("This cohort is not tied to an event."))
    else:
        enrolled = services.enrol_event_participants(group)
        messages.success(
            request,
            ngettext(
                "%(count)d participant of the event was enrolled.",
                "%(count)d participants of the event were enrolled.",
                enrolled,
            )
            % {"count": enrolled},
        )
    return redirect("learning:cohort", course.identifier, group.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitations(request: HttpRequest, identifier: str) -> HttpResponse:
    """Invitations sent and accepted, and a form to invite people by e-mail."""
    course = _taught(request, identifier)
    person = signed_in(request)
    form = InvitationForm(request.POST or None, course=course, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.invite(
                course,
                actor=person,
                emails=data["emails"],
                cohort=data.get("cohort"),
                language=data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            skipped = len(data["emails"]) - len(sent)
            message = ngettext(
                "%(count)d invitation was sent.", "%(count)d invitations were sent.", len(sent)
            ) % {"count": len(sent)}
            if skipped:
                message += " " + ngettext(
                    "%(count)d address already had an invitation waiting.",
                    "%(count)d addresses already had an invitation waiting.",
                    skipped,
                ) % {"count": skipped}
            messages.success(request, message)
            return redirect("learning:invitations", course.identifier)
    page = Paginator(course.invitations.select_related("cohort").order_by("-created_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/study/teach_invitations.html",
        {"course": course, "title": _title(course), "form": form, "page_obj": page},
    )
