from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_request, override
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from clearinghouse.core import datasaving, health, pictures, showcase
from clearinghouse.core.metrics import may_read_metrics, metrics_response


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    """Send a visitor without a language in the address to their browser's language."""
    with override(get_language_from_request(request)):
        return HttpResponseRedirect(reverse("core:home"))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The way into every area, with a few live figures and the latest published records (what
    the apps registered in core.showcase, cached briefly)."""
    return render(request, "core/home.html", {"figures": showcase.figures(), "latest": showcase.latest()})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The platform's health for load balancers and monitoring (health.report): 503 when it is
    not healthy. Counts and ages only: no host names, no job contents."""
    healthy, checks = health.report()
    body = {"status": "ok" if healthy else "unavailable"} | checks
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's scrape (core/metrics.py says who may read it)."""
    if not may_read_metrics(request):
        return HttpResponse(
            _("Metrics are read with the metrics token, or from this host."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return metrics_response()


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """Where to report a vulnerability (RFC 9116). Its expiry moves with each answer: the
    contact is a setting, kept current by whoever runs the platform."""
    expires = timezone.now().replace(microsecond=0) + timedelta(days=365)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en, fr, es, ar, ru, zh",
        f"Canonical: {request.build_absolute_uri(reverse('security_txt'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Without a CSRF token: a forged request could only switch pictures on or off in the person's own
# browser, as a link could, and a token in every page's footer would make every page differ from
# one response to the next (no ETag would ever match) and set a cookie for every visitor.
@csrf_exempt
@require_POST
def save_data(request: HttpRequest) -> HttpResponse:
    """Turns save-data mode on or off for this browser, then goes back to the page it came from."""
    mode = request.POST.get("mode", "")
    if mode not in (datasaving.ON, datasaving.OFF):
        raise BadRequest(_("Choose whether to save data: on or off."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("core:home")
    response = HttpResponseRedirect(back)
    response.set_cookie(
        datasaving.SAVE_DATA_COOKIE,
        mode,
        max_age=datasaving.SAVE_DATA_COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


# A year: a rendition's name changes with its picture and its size (core/pictures.py).
@cache_control(public=True, max_age=365 * 24 * 60 * 60, immutable=True)
@require_safe
def picture_file(request: HttpRequest, path: str) -> HttpResponse:
    """A rendition of a logo or an event's picture (a few kilobytes). In production a web server
    in front may serve the same folder (docs/offline.md). Sent whole, not streamed, so that
    GZipMiddleware leaves the already compressed image alone."""
    folder = Path(settings.MEDIA_ROOT) / "pictures" / "renditions"
    try:
        file = Path(safe_join(folder, path))
    except SuspiciousFileOperation as error:
        raise Http404 from error
    content_type = pictures.RENDITION_TYPES.get(file.suffix)
    if content_type is None or not file.is_file():
        raise Http404
    return HttpResponse(file.read_bytes(), content_type=content_type)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400 that says what went wrong, in the person's language (Django's own page says only
    "Bad Request"). Other causes, such as a forged host header, keep Django's plain page: the
    site's layout may not be drawable for such a request."""
    if not isinstance(exception, BadRequest) or not str(exception):
        return defaults.bad_request(request, exception)
    return render(request, "400.html", {"message": str(exception)}, status=400)
