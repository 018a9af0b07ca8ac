"""SCORM pages: importing a package, the player, the package's files and the runtime's commits.

The package's files are served at ``/learning/scorm/<token>/<path>`` (no language prefix: a
package links its files relatively, whatever language the player page is in), only to the
people ``scorm_runtime.may_fetch`` admits, each with a strict content type and a
Content-Security-Policy that confines it to the package's own path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.multilingual import show
from clearinghouse.learning import outline as outlines
from clearinghouse.learning import progress, scorm, scorm_runtime
from clearinghouse.learning.models import Course, ItemProgress, ScormPackage, ScormVersion
from clearinghouse.learning.scorm_forms import ImportForm
from clearinghouse.publishing import workflow

RUNTIME = "learning/vendor/scorm-again-3.4.3/"
# The deepest SCORM data model element (cmi.interactions.n.correct_responses.n.pattern) is
# five levels down; anything much deeper is not a data model.
MAX_DEPTH = 12


def _course(identifier: str) -> Course:
    return get_object_or_404(Course, identifier=identifier)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_package(request: HttpRequest, identifier: str) -> HttpResponse:
    """Upload a package into a module of the course; it is saved as a draft revision."""
    course = _course(identifier)
    user = signed_in(request)
    if not scorm.may_edit(user, course):
        raise PermissionDenied
    working, _many = workflow.working_copy(course)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        outline=working.outline,
        original_language=course.original_language,
    )
    if request.method == "POST" and form.is_valid():
        try:
            package, key = scorm.import_package(
                course,
                form.cleaned_data["package"],
                actor=user,
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                module_key=form.cleaned_data["module"],
                module_title=form.cleaned_data["module_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The SCORM package “%(title)s” is added to the course as a draft. Try it here; "
                    "learners see it once the course is submitted and published."
                )
                % {"title": package.title},
            )
            return redirect("learning:scorm_play", course.identifier, key)
    return render(request, "learning/scorm/import.html", {"course": course, "form": form})


def _launch_url(package: ScormPackage) -> str:
    # The manifest's address may come percent-encoded or not; reverse() encodes it once.
    path, _sep, query = package.launch.partition("?")
    url = reverse("scorm_file", kwargs={"token": package.token, "path": unquote(path)})
    return f"{url}?{query}" if query else url


@login_required
@require_safe
def play(request: HttpRequest, identifier: str, key: str) -> HttpResponse:
    """The player: the package in a sandboxed frame, the SCORM runtime in this page. Learners
    play the published course and their progress is kept; its authors and reviewers play the
    working copy, and nothing is recorded for them."""
    course = _course(identifier)
    user = signed_in(request)
    enrolment = scorm_runtime.enrolment_of(user, course)
    published = scorm_runtime.published_item(course, key) if enrolment else None
    previewing = published is None
    if published is not None:
        item = published
    else:
        if not scorm_runtime.may_preview(user, course):
            raise PermissionDenied
        working, _many = workflow.working_copy(course)
        located = outlines.find(working.outline, key)
        if located is None or located.item.get("type") != "scorm":
            raise Http404
        item = dict(located.item)
    package = get_object_or_404(ScormPackage, course=course, token=item.get("package"))
    # In save-data mode the runtime and the package (often megabytes) load only when asked.
    if getattr(request, "save_data", False) and request.GET.get("load") != "1":
        context = {
            "course": course,
            "title": show(item.get("title") or {}, course.original_language),
            "package": package,
            "previewing": previewing,
            "held_back": True,
        }
        return render(request, "learning/scorm/play.html", context)
    row = None
    if enrolment is not None and not previewing:
        row = ItemProgress.objects.filter(enrolment=enrolment, item_key=key).first()
        if row is None:
            # The first opening is when the learner launched the module (xAPI "launched").
            row = progress.record(enrolment, key)
    config: dict[str, Any] = {
        "version": package.version,
        "launch": _launch_url(package),
        "commit": None if previewing else reverse("learning:scorm_commit", args=[course.identifier, key]),
        "csrf": get_token(request),
        "cmi": scorm_runtime.initial_cmi(
            package.version, user, row.data if row else None, scorm_runtime.launch_details(package)
        ),
        "messages": {
            "saved": _("Your progress is saved."),
            "failed": _(
                "Your progress could not be saved. Check your connection: it is sent again at the next step."
            ),
        },
    }
    script = "scorm12.min.js" if package.version == ScormVersion.SCORM_12 else "scorm2004.min.js"
    return render(
        request,
        "learning/scorm/play.html",
        {
            "course": course,
            "item": item,
            "title": show(item.get("title") or {}, course.original_language),
            "package": package,
            "previewing": previewing,
            "progress": row,
            "config": config,
            "runtime": static(RUNTIME + script),
        },
    )


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, level)
            stack.extend(
                (child, level + 1) for child in (current.values() if isinstance(current, dict) else current)
            )
    return deepest


def _json_error(message: str, status: int) -> JsonResponse:
    # The runtime reads ``result``; SCORM's general exception (101) tells the package the
    # commit failed. ``error`` is for people, in their language.
    return JsonResponse({"result": False, "errorCode": 101, "error": message}, status=status)


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def _csrf_valid(request: HttpRequest, payload: Any) -> bool:
    """Django's own CSRF check, with the token from the header or, when the runtime sends its
    last commit as a beacon (which can set no header), from the body's ``csrfToken``."""
    token = payload.get("csrfToken") if isinstance(payload, dict) else None
    if "HTTP_X_CSRFTOKEN" not in request.META and isinstance(token, str):
        request.META["HTTP_X_CSRFTOKEN"] = token
    return CsrfViewMiddleware(_no_view).process_view(request, _no_view, (), {}) is None


# The CSRF check is made in the view, once the body is read: see _csrf_valid.
@csrf_exempt
@require_POST
def commit(request: HttpRequest, identifier: str, key: str) -> JsonResponse:
    """The runtime's commit: the package's data model as JSON (``{"cmi": {...}}``)."""
    if not request.user.is_authenticated:
        return _json_error(_("Sign in again: your session has ended."), 403)
    limit = settings.SCORM_MAX_COMMIT_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _json_error(_("The data sent is too big to be saved."), 413)
    try:
        body = request.body
    except RequestDataTooBig:
        return _json_error(_("The data sent is too big to be saved."), 413)
    if len(body) > limit:
        return _json_error(_("The data sent is too big to be saved."), 413)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _json_error(_("The data sent is not valid JSON."), 400)
    if not _csrf_valid(request, payload):
        return _json_error(_("The page's security token is missing or has expired: reload the page."), 403)
    cmi = payload.get("cmi") if isinstance(payload, dict) else None
    if not isinstance(cmi, dict) or _depth(cmi) > MAX_DEPTH:
        return _json_error(_("The data sent has no SCORM data model (cmi)."), 400)
    course = Course.objects.filter(identifier=identifier).first()
    if course is None:
        return _json_error(_("There is no such course."), 404)
    enrolment = scorm_runtime.enrolment_of(request.user, course)
    if enrolment is None:
        return _json_error(_("You are not enrolled in this course: nothing was saved."), 403)
    item = scorm_runtime.published_item(course, key)
    package = ScormPackage.objects.filter(course=course, token=item.get("package")).first() if item else None
    if item is None or package is None:
        return _json_error(_("This course has no such SCORM module."), 404)
    scorm_runtime.commit(enrolment, key, package, cmi)
    return JsonResponse({"result": True, "errorCode": 0})


def _media(path: Path, media_type: str, asked: str) -> HttpResponseBase:
    size = path.stat().st_size
    try:
        wanted = scorm_runtime.byte_range(asked, size)
    except ValueError:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if wanted is None:
        whole = FileResponse(path.open("rb"), content_type=media_type)
        whole["Accept-Ranges"] = "bytes"
        return whole
    first, last = wanted

    def chunks() -> Iterator[bytes]:
        with path.open("rb") as stream:
            stream.seek(first)
            left = last - first + 1
            while left > 0 and (chunk := stream.read(min(left, 64 * 1024))):
                left -= len(chunk)
                yield chunk

    part = StreamingHttpResponse(chunks(), status=206, content_type=media_type)
    part["Content-Range"] = f"bytes {first}-{last}/{size}"
    part["Content-Length"] = str(last - first + 1)
    part["Accept-Ranges"] = "bytes"
    return part


@require_safe
@xframe_options_sameorigin
def package_file(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    """One file of a package, to the people who may play it."""
    package = ScormPackage.objects.select_related("course").filter(token=token).first()
    if package is None:
        raise Http404
    if not scorm_runtime.may_fetch(request.user, package):
        raise PermissionDenied
    found = scorm_runtime.resolve(package, path)
    if found is None:
        raise Http404
    media_type, attachment = scorm_runtime.content_type(found)
    response: HttpResponseBase
    if media_type.startswith(("audio/", "video/")):
        # Players seek in audio and video by asking for ranges of bytes.
        response = _media(found, media_type, request.headers.get("Range", ""))
    else:
        response = FileResponse(found.open("rb"), content_type=media_type, as_attachment=attachment)
    base = request.build_absolute_uri(reverse("scorm_file", kwargs={"token": package.token, "path": ""}))
    response["Content-Security-Policy"] = scorm_runtime.file_policy(base)
    response["X-Content-Type-Options"] = "nosniff"
    # A package's files never change under its token (a new upload is a new package): the
    # learner's browser keeps them a day, which slow connections feel; shared caches never.
    response["Cache-Control"] = "private, max-age=86400"
    return response
