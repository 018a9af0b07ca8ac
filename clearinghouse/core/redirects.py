"""Where a form sends the person back to: a page of this site only, so that a crafted link
cannot turn an action into a redirect to another site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the form posted when it is on this site (same host, and HTTPS when the
    request is); else ``fallback``."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback
