"""Revalidation of pages and API answers: an ETag on each, a 304 when the browser's copy is current.

On a slow link a page seen before then costs a few hundred bytes instead of the whole page. Every
page and API answer is revalidated on each visit ("no-cache"), so nobody reads a stale page;
those of a signed-in person, of someone who holds a session or security cookie, or that set any
cookie, are kept by their browser only ("private").

Django's ConditionalGetMiddleware hashes the whole body; ours leaves out the one part that differs
from one response to the next while the page does not: the masked CSRF token of each form (Django
masks the same secret anew on each response, against BREACH). The secret itself goes into the
ETag instead, so a page whose token would no longer be accepted is sent again. A page that
carries a CSP nonce gets no ETag: an old copy's nonce would not match a new policy.

Behind the reference proxy (deploy/nginx), a public answer may also be kept by the proxy for
PROXY_CACHE_SECONDS and given to other visitors who, like the first, hold no cookie and send no
credentials: nginx's own header, X-Accel-Expires, says so (browsers never see it). A page the
proxy keeps is at most that many seconds older than the database; signed-in people, and anyone
with a cookie, always reach the platform.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

MASKED_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
NONCE = re.compile(rb'\snonce="')
REVALIDATED_TYPES = (
    "text/html",
    "application/json",
    "application/problem+json",
    # Feeds, JSON-LD, the sitemap and OAI-PMH answers (clearinghouse/syndication).
    "application/atom+xml",
    "application/rss+xml",
    "application/ld+json",
    "application/xml",
    "text/xml",
)


def _revalidated(request: HttpRequest, response: HttpResponseBase) -> HttpResponse | None:
    """The response, if it is a page or API answer to revalidate (a full GET of HTML or JSON
    whose view chose no caching of its own)."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return None
    if not isinstance(response, HttpResponse) or "Cache-Control" in response:
        return None
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return response if content_type in REVALIDATED_TYPES else None


def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer may be for this person only: signed in, with a session or a security
    token cookie, or asking with an API token; or the answer gives the first of those cookies
    (a first visit to a page with a form embeds a token made for the cookie it sets: a shared
    cache would hand both to the next visitor)."""
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.CSRF_COOKIE_NAME in request.COOKIES
        or "Authorization" in request.headers
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _drop_vary(response: HttpResponse, header: str) -> None:
    kept = [name.strip() for name in response.get("Vary", "").split(",") if name.strip()]
    kept = [name for name in kept if name.lower() != header.lower()]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def page_etag(request: HttpRequest, content: bytes) -> str | None:
    """The ETag of a page: its content without per-response CSRF masks, with the CSRF secret;
    None for a page that carries a CSP nonce."""
    if NONCE.search(content):
        return None
    digest = hashlib.sha256(MASKED_TOKEN.sub(b"", content))
    digest.update(str(request.META.get("CSRF_COOKIE", "")).encode())
    return f'"{digest.hexdigest()[:32]}"'


class RevalidationMiddleware:
    """Cache-Control, ETag and 304 for pages and API answers. Placed below GZipMiddleware, so the
    ETag is of the uncompressed page; GZip then marks it weak, and Django compares weakly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        answer = self.get_response(request)
        response = _revalidated(request, answer)
        if response is None:
            return answer
        if _is_private(request, response):
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, no_cache=True)
            if settings.PROXY_CACHE_SECONDS > 0:
                response["X-Accel-Expires"] = str(settings.PROXY_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        if getattr(response, "language_in_address", False):
            # Its address names the language (a widget's ?lang=): the browser's preference does
            # not change the answer, and a shared cache keeps one copy, not one per preference.
            _drop_vary(response, "Accept-Language")
        if response.has_header("ETag"):
            etag: str | None = response["ETag"]
        else:
            etag = page_etag(request, response.content)
            if etag is not None:
                response["ETag"] = etag
        if etag is None:
            return response
        # Django's own helper: weak comparison of If-None-Match (If-Modified-Since against the
        # view's Last-Modified when no ETag is asked about), and a 304 that keeps the
        # Cache-Control, Vary, ETag and cookies of the full answer.
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return (
            get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
            or response
        )
