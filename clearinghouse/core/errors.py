"""The platform's error pages: in the reader's language (their address's language prefix), in the
site's layout, each with a way on. Under /api/ the same failures answer in the API's JSON shape
(api.errors), since API clients read JSON, not pages."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from clearinghouse.core.logs import request_id

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def language_of(request: HttpRequest) -> str:
    """The language of the address (/fr/…), else the one already chosen for the request."""
    return (
        translation.get_language_from_path(request.path_info)
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(code: str, message: str, status: int) -> JsonResponse:
    """One error in the API's shape: {"errors": [{"field": null, "code": ..., "message": ...}]}."""
    return JsonResponse({"errors": [{"field": None, "code": code, "message": message}]}, status=status)


def back_url(request: HttpRequest) -> str | None:
    """The page the person came from, when it is one of ours, for a "go back" link."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


def render_error(
    request: HttpRequest, template: str, status: int, context: Mapping[str, Any] | None = None
) -> HttpResponse:
    """An error page in the site's layout, in the language of the address."""
    with translation.override(language_of(request)):
        values = {"back_url": back_url(request), "error_status": status, **(context or {})}
        return render(request, template, values, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return api_error("not_found", _("There is nothing at this address."), 404)
    return render_error(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (the page was open too long, or cookies are off):
    say so and how to try again, rather than Django's technical page."""
    if is_api(request):
        return api_error("csrf_failed", _("The request's security check failed."), 403)
    return render_error(request, "csrf.html", 403, {"no_cookie": reason == "CSRF cookie not set."})


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 written without the database or the page shell's context: whatever broke must not
    break this page too. If even this template fails, a line of plain text goes out."""
    language = language_of(request)
    with translation.override(language):
        if is_api(request):
            return api_error(
                "server_error", _("Something went wrong on our side. Please try again later."), 500
            )
        try:
            context = {
                "language_code": language,
                "html_lang": translation.to_locale(language).replace("_", "-"),
                "bidi": translation.get_language_bidi(),
                "stylesheet": static("core/site.css"),
                "favicon": static("core/favicon.svg"),
                "home_url": reverse("core:home"),
                "search_url": reverse("search:index"),
                "back_url": back_url(request),
                # What the logs know this request by: a person who reports it can quote it.
                "reference": request_id(),
            }
            html = loader.get_template("500.html").render(context)
        except Exception:
            logger.exception("The error page itself could not be drawn")
            return HttpResponse(
                _("Something went wrong on our side. Please try again later."),
                status=500,
                content_type="text/plain; charset=utf-8",
            )
    return HttpResponse(html, status=500)
