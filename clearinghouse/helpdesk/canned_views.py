"""Canned answer pages: the list (with the languages each answer still lacks), a new answer,
an answer's edit page, and taking an answer out of use or back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.helpdesk import canned
from clearinghouse.helpdesk.canned_forms import CannedAnswerForm
from clearinghouse.helpdesk.models import CannedAnswer

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


@login_required
def answer_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not canned.is_agent(user):
        raise PermissionDenied
    answers = CannedAnswer.objects.select_related("desk", "topic", "created_by").order_by("-active", "pk")
    rows = [
        {
            "answer": answer,
            "missing": [LANGUAGE_NAMES[code] for code in canned.missing_languages(answer)],
            "may_edit": canned.may_edit(user, answer),
        }
        for answer in answers.prefetch_related("desk__leads")
    ]
    return render(request, "helpdesk/canned.html", {"rows": rows, "placeholders": canned.PLACEHOLDERS})


def _save(request: HttpRequest, form: CannedAnswerForm, answer: CannedAnswer | None) -> CannedAnswer | None:
    user = signed_in(request)
    data = form.cleaned_data
    try:
        if answer is None:
            return canned.create(
                author=user,
                title=form.texts("title"),
                body=form.texts("body"),
                topic=data["topic"],
                desk=data["desk"],
            )
        return canned.update(
            answer,
            actor=user,
            title=form.texts("title"),
            body=form.texts("body"),
            topic=data["topic"],
            desk=data["desk"],
            active=answer.active,
        )
    except ValidationError as refused:
        for field, problems in refused.message_dict.items():
            form.add_error(
                None if field == "__all__" else f"{field}_en" if field in {"title", "body"} else field,
                problems,
            )
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_new(request: HttpRequest) -> HttpResponse:
    if not canned.is_agent(signed_in(request)):
        raise PermissionDenied
    form = CannedAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        messages.success(request, _("The canned answer is saved."))
        return redirect("helpdesk:canned")
    return render(
        request,
        "helpdesk/canned_form.html",
        {"form": form, "answer": None, "placeholders": canned.PLACEHOLDERS},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(CannedAnswer.objects.select_related("desk"), pk=pk)
    if not canned.may_edit(signed_in(request), answer):
        raise PermissionDenied
    form = CannedAnswerForm(request.POST or None, answer=answer)
    if request.method == "POST" and form.is_valid() and _save(request, form, answer):
        messages.success(request, _("The canned answer is saved."))
        return redirect("helpdesk:canned")
    return render(
        request,
        "helpdesk/canned_form.html",
        {"form": form, "answer": answer, "placeholders": canned.PLACEHOLDERS},
    )


@login_required
@require_POST
def answer_active(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(CannedAnswer.objects.select_related("desk"), pk=pk)
    active = request.POST.get("active") == "1"
    canned.set_active(answer, actor=signed_in(request), active=active)
    messages.success(
        request, _("The answer is back in use.") if active else _("The answer is no longer offered.")
    )
    return redirect("helpdesk:canned")
