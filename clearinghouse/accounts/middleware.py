"""Holds back people who must turn on a second factor (accounts.mfa_policy) until they have.

Pages redirect to the page that explains why; API calls made with the browser's session get a
403 in the API's error shape. Setting up the second factor, signing out, changing the password,
the language switch and the health check stay open meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from clearinghouse.accounts import mfa_policy

# Views (by their URL name) open to someone who still has to turn on a second factor; every
# allauth MFA view (mfa_*) is open too.
OPEN_VIEWS = frozenset(
    {
        "accounts:second_factor",
        "account_logout",
        "account_change_password",
        "account_set_password",
        # Turning on a second factor asks to confirm the password first.
        "account_reauthenticate",
        "admin:logout",
        "healthz",
        "set_language",
    }
)


def _is_open(view_name: str) -> bool:
    return view_name in OPEN_VIEWS or view_name.startswith("mfa_")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # Files, and the site's published notices (security.txt), for anyone.
        if request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/.well-known/")):
            return None
        match = request.resolver_match
        if match is not None and _is_open(match.view_name):
            return None
        if not mfa_policy.needs_second_factor(getattr(request, "user", None)):
            return None
        if request.path_info.startswith("/api/"):
            message = _(
                "Your role requires a second factor. Turn on an authenticator app or a passkey "
                "in your account before using the API with this session."
            )
            return JsonResponse(
                {"errors": [{"field": None, "code": "second_factor_required", "message": message}]},
                status=403,
            )
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(reverse("accounts:second_factor"))
        return redirect(reverse("accounts:second_factor"))
