from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_from_request, override
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clearinghouse.core import health, showcase


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
    checks = health.check()
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"} | {
        name: "ok" if passed else "unavailable" for name, passed in checks.items()
    }
    return JsonResponse(body, status=200 if healthy else 503)


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


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400 that says what went wrong, in the person's language (Django's own page says only
    "Bad Request"). Other causes, such as a forged host header, keep Django's plain page: the
    site's layout may not be drawable for such a request."""
    if not isinstance(exception, BadRequest) or not str(exception):
        return defaults.bad_request(request, exception)
    return render(request, "400.html", {"message": str(exception)}, status=400)
