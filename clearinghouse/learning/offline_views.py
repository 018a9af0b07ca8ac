"""The learner's offline pages: the packages of a course with their sizes, the download, and
the upload of a progress file. Plain links and forms: everything works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.learning import offline, offline_progress
from clearinghouse.learning import outline as outlines
from clearinghouse.learning.models import Course, Enrolment, EnrolmentStatus
from clearinghouse.publishing import usage
from clearinghouse.publishing.models import Usage

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Progress file (.json)"),
        help_text=gettext_lazy("The file the offline package saved from its “My progress” page."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


def _enrolment(request: HttpRequest, identifier: str) -> Enrolment:
    """The signed-in learner's enrolment in a published course; 404 or 403 otherwise."""
    course = Course.objects.filter(identifier=identifier, live=True).first()
    if course is None:
        raise Http404(_("There is no such course."))
    enrolment = (
        Enrolment.objects.select_related("course")
        .filter(course=course, person=signed_in(request))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )
    if enrolment is None:
        raise PermissionDenied(_("Enrol in this course to download it for studying offline."))
    return enrolment


def _module_title(module: Any, language: str) -> str:
    return offline.text(module.get("title"), language) or str(module.get("key"))


@login_required
@require_safe
def packages(request: HttpRequest, identifier: str) -> HttpResponse:
    enrolment = _enrolment(request, identifier)
    course = enrolment.course
    languages = offline.languages_in_order(course)
    # Modules one by one in the language of study (else the first one): what a learner with a
    # small connection picks; the whole course in every language.
    module_language = enrolment.language if enrolment.language in languages else (languages[:1] or [""])[0]
    whole = [
        {"language": code, "name": LANGUAGE_NAMES.get(code, code), "size": offline.size(course, code)}
        for code in languages
    ]
    modules = (
        [
            {
                "key": module["key"],
                "title": _module_title(module, module_language),
                "size": offline.size(course, module_language, str(module["key"])),
            }
            for module in outlines.modules(course.outline)
        ]
        if module_language
        else []
    )
    return render(
        request,
        "learning/offline/packages.html",
        {
            "course": course,
            "course_title": offline.text(course.title, module_language or course.original_language),
            "whole": whole,
            "modules": modules,
            "module_language": module_language,
            "module_language_name": LANGUAGE_NAMES.get(module_language, module_language),
            "form": UploadForm(),
        },
    )


@login_required
@require_safe
def package(request: HttpRequest, identifier: str) -> HttpResponse:
    enrolment = _enrolment(request, identifier)
    language = request.GET.get("language") or enrolment.language
    try:
        made = offline.download(enrolment, language, request.GET.get("module", ""))
    except ValidationError as refused:
        return render(
            request,
            "learning/offline/refused.html",
            {"course": enrolment.course, "problems": refused.messages},
            status=400,
        )
    usage.record_used(request, enrolment.course, Usage.DOWNLOAD)
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Content-Length"] = str(len(made.content))
    return response


def _report(request: HttpRequest, outcome: offline_progress.Outcome) -> None:
    if outcome.changed:
        messages.success(
            request,
            ngettext(
                "Your progress file was counted: %(count)d new entry.",
                "Your progress file was counted: %(count)d new entries.",
                outcome.lessons + outcome.attempts,
            )
            % {"count": outcome.lessons + outcome.attempts},
        )
    elif not outcome.skipped:
        messages.info(request, _("Everything in this progress file was already counted: nothing changed."))
    for line in outcome.skipped:
        messages.warning(request, _("Not counted: %(reason)s") % {"reason": line})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > offline_progress.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is bigger than %(size)d kB: this is not a progress file.")
                % {"size": offline_progress.MAX_BYTES // 1024},
            )
        else:
            content = uploaded.read()
            try:
                enrolment = offline_progress.enrolment_of(signed_in(request), content)
                outcome = offline_progress.upload(enrolment, content)
            except ValidationError as refused:
                for problem in refused.messages:
                    form.add_error("file", problem)
            else:
                _report(request, outcome)
                return redirect("learning:offline_packages", enrolment.course.identifier)
        status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "learning/offline/upload.html", {"form": form}, status=status)
