"""Save-data mode: pages without images and heavy widgets, for people on slow or costly links.

A person turns it on or off with the switch in the page footer (a cookie kept for a year), and a
browser that sends ``Save-Data: on`` (Chrome's "Lite mode", many mobile browsers) turns it on
unless the person chose otherwise on this browser. Templates read ``request.save_data``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

SAVE_DATA_COOKIE = "save_data"
# A year: the choice is about the person's connection, which rarely changes from week to week.
SAVE_DATA_COOKIE_AGE = 365 * 24 * 60 * 60
ON = "on"
OFF = "off"


def wants_saving(request: HttpRequest) -> bool:
    """Whether this request's page should be the light one: the person's own choice on this
    browser first, then the browser's Save-Data hint (RFC draft "Save-Data", value "on")."""
    choice = request.COOKIES.get(SAVE_DATA_COOKIE)
    if choice in (ON, OFF):
        return choice == ON
    return request.headers.get("Save-Data", "").strip().lower() == ON


class SaveDataMiddleware:
    """Sets ``request.save_data`` and tells caches that pages differ with the Save-Data hint."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.save_data = wants_saving(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        # The cookie is covered by "Vary: Cookie" (core.caching); the hint is not, and a shared
        # cache must not hand a light page to someone who did not ask. Only pages change with it.
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Save-Data",))
        return response
