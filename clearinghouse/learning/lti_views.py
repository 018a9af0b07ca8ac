"""LTI 1.3 pages and endpoints. The rules live in lti.py.

Endpoints other systems call have one address in every language (``endpoint_patterns``,
namespace ``lti``, under /learning/lti/): our key set, the tool side's OIDC login and launch,
the platform side's authentication endpoint, and the one-time sign-in link a launched learner
opens in a new window. The Secretariat's registration pages and a course's tools page are
ordinary pages in the reader's language (``urlpatterns``, namespace ``learning``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.contrib.django.message_launch import DjangoMessageLaunch
from pylti1p3.contrib.django.oidc_login import DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from clearinghouse.accounts.auth import signed_in
from clearinghouse.learning import lti
from clearinghouse.learning.lti_forms import PlacementForm, PlatformForm, ToolForm
from clearinghouse.learning.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    LtiPlacement,
    LtiPlatform,
    LtiTool,
)

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "learning/lti/refused.html", {"message": message}, status=status)


def _storage() -> DjangoCacheDataStorage:
    """State and nonces in the cache (shared between workers with Redis), not only in cookies."""
    return DjangoCacheDataStorage(cache_name="default")  # type: ignore[no-untyped-call]


# --- endpoints -----------------------------------------------------------------------------------


@require_safe
def jwks(request: HttpRequest) -> JsonResponse:
    """Our public keys, for tools that check our id_tokens and platforms that check our tool."""
    response = JsonResponse(lti.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tool_login(request: HttpRequest) -> HttpResponse:
    """OIDC login initiated by another platform: redirect to its authentication endpoint."""
    oidc = DjangoOIDCLogin(  # type: ignore[no-untyped-call]  # PyLTI1p3's Django classes are untyped
        request, lti.PlatformRegistrations(), launch_data_storage=_storage()
    )
    try:
        return oidc.redirect(lti.launch_url())  # type: ignore[no-any-return]
    except (OIDCException, LtiException):
        return _refused(
            request, _("This platform is not registered here, or its login request is incomplete.")
        )


@csrf_exempt
@never_cache
@require_POST
def tool_launch(request: HttpRequest) -> HttpResponse:
    """A launch from another platform: checked by PyLTI1p3, then the person is signed in,
    enrolled and shown the course, in the platform's frame."""
    message = DjangoMessageLaunch(  # type: ignore[no-untyped-call]
        request, lti.PlatformRegistrations(), launch_data_storage=_storage()
    )
    try:
        data: Mapping[str, Any] = message.get_launch_data()
        if not message.is_resource_launch():
            raise lti.LaunchRefusedError(_("Only links to a course can be opened here."))
        launched = lti.accept_launch(data, lti.platform_of(data))
    except LtiException:
        return _refused(
            request, _("The launch could not be verified: open the course again from your platform.")
        )
    except lti.LaunchRefusedError as refusal:
        return _refused(request, str(refusal))
    login(request, launched.user, backend=_BACKEND)
    request.session[lti.FRAME_ORIGIN] = launched.platform_origin
    course = launched.enrolment.course
    ui_language = {"zh": "zh-hans"}.get(launched.enrolment.language, launched.enrolment.language)
    with translation.override(ui_language):
        study = lti.study_url(course)
        if settings.LEARNING_LTI_IN_FRAMES:
            # The session cookie reaches us inside the platform's frame: straight to the course.
            return HttpResponseRedirect(study)
        continue_url = reverse("lti:continue", args=[lti.continue_token(launched.user, study)])
        return render(
            request,
            "learning/lti/launched.html",
            {"course": course, "study_url": study, "continue_url": continue_url, "user": launched.user},
        )


@never_cache
@require_safe
def continue_in_window(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link from the launched page: signs the person in here, at the top level."""
    try:
        user, next_url = lti.use_continue_token(token)
    except ValidationError as error:
        return _refused(request, error.messages[0])
    login(request, user, backend=_BACKEND)
    return HttpResponseRedirect(next_url)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """Our authentication endpoint: a tool we started a launch with asks for the id_token; it
    is posted to the tool from the person's browser."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        launch = lti.authenticate({key: params.get(key, "") for key in params}, request.user)
    except lti.LaunchRefusedError as refusal:
        return _refused(request, str(refusal), status=403)
    response = render(request, "learning/lti/post_to_tool.html", {"launch": launch})
    # The form goes to the tool: allowed for this response only.
    response._csp_update = {"form-action": [lti.origin(launch.redirect_uri)]}  # type: ignore[attr-defined]
    return response


endpoint_patterns = [
    path("jwks.json", jwks, name="jwks"),
    path("login/", tool_login, name="login"),
    path("launch/", tool_launch, name="launch"),
    path("authorize/", authorize, name="authorize"),
    path("continue/<str:token>/", continue_in_window, name="continue"),
]


# --- pages ---------------------------------------------------------------------------------------


def _secretariat(request: HttpRequest) -> None:
    if not signed_in(request).has_perm("learning.manage_lti"):
        raise PermissionDenied(_("Only the Secretariat registers LTI tools and platforms."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tools(request: HttpRequest) -> HttpResponse:
    """External tools: the list and a form to register one."""
    _secretariat(request)
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tool = form.save(commit=False)
        tool.created_by = signed_in(request)
        tool.save()
        messages.success(request, _("The tool %(name)s is registered.") % {"name": tool.name})
        return redirect("learning:lti_tools")
    return render(
        request,
        "learning/lti/tools.html",
        {"form": form, "tools": LtiTool.objects.all(), "platform": _platform_details()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _secretariat(request)
    tool = get_object_or_404(LtiTool, pk=pk)
    form = ToolForm(request.POST or None, instance=tool)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("learning:lti_tools")
    return render(request, "learning/lti/tool_edit.html", {"form": form, "tool": tool})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def platforms(request: HttpRequest) -> HttpResponse:
    """Platforms that may launch our courses: the list and a form to register one."""
    _secretariat(request)
    form = PlatformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        platform = form.save(commit=False)
        platform.created_by = signed_in(request)
        platform.save()
        messages.success(request, _("The platform %(name)s is registered.") % {"name": platform.name})
        return redirect("learning:lti_platforms")
    return render(
        request,
        "learning/lti/platforms.html",
        {"form": form, "platforms": LtiPlatform.objects.all(), "tool": _tool_details()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def platform_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _secretariat(request)
    platform = get_object_or_404(LtiPlatform, pk=pk)
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("learning:lti_platforms")
    return render(request, "learning/lti/platform_edit.html", {"form": form, "platform": platform})


def _platform_details() -> dict[str, str]:
    """What a tool is configured with to trust launches from us."""
    return {
        "issuer": lti.issuer(),
        "authorize": lti.absolute(reverse("lti:authorize")),
        "jwks": lti.absolute(reverse("lti:jwks")),
    }


def _tool_details() -> dict[str, str]:
    """What another platform is configured with to launch our courses."""
    return {
        "login": lti.absolute(reverse("lti:login")),
        "launch": lti.launch_url(),
        "jwks": lti.absolute(reverse("lti:jwks")),
    }


def _course(identifier: str) -> Course:
    return get_object_or_404(Course, identifier=identifier.upper())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def course_tools(request: HttpRequest, identifier: str) -> HttpResponse:
    """A course's external tools: learners open them; the course's owners attach and remove them."""
    course = _course(identifier)
    user = signed_in(request)
    teaches = user.has_perm("records.draft", course)
    enrolled = (
        Enrolment.objects.filter(course=course, person=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .exists()
    )
    if not teaches and not (enrolled and course.live):
        raise Http404
    form = PlacementForm(request.POST or None, course=course) if teaches else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the course's owners attach tools to it."))
        if request.POST.get("remove"):
            LtiPlacement.objects.filter(course=course, pk=request.POST["remove"]).delete()
            messages.success(request, _("The tool is no longer attached to the course."))
            return redirect("learning:lti_course_tools", identifier=course.identifier)
        if form.is_valid():
            LtiPlacement.objects.create(
                course=course,
                tool=form.cleaned_data["tool"],
                title=form.cleaned_data["title"],
                created_by=user,
            )
            messages.success(request, _("The tool is attached to the course."))
            return redirect("learning:lti_course_tools", identifier=course.identifier)
    placements = LtiPlacement.objects.filter(course=course).select_related("tool")
    if not teaches:
        placements = placements.filter(tool__active=True)
    return render(
        request,
        "learning/lti/course_tools.html",
        {"course": course, "placements": placements, "form": form, "teaches": teaches},
    )


@login_required
@require_safe
def launch_tool(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an attached tool: the OIDC login starts at the tool."""
    placement = get_object_or_404(LtiPlacement.objects.select_related("course", "tool"), pk=pk)
    return HttpResponseRedirect(lti.login_initiation(placement, signed_in(request)))


urlpatterns = [
    path("lti/tools/", tools, name="lti_tools"),
    path("lti/tools/<int:pk>/", tool_edit, name="lti_tool"),
    path("lti/platforms/", platforms, name="lti_platforms"),
    path("lti/platforms/<int:pk>/", platform_edit, name="lti_platform"),
    path("lti/open/<int:pk>/", launch_tool, name="lti_launch_tool"),
    path("courses/<str:identifier>/tools/", course_tools, name="lti_course_tools"),
]
