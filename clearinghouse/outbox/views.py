"""The outbox page and the token a replay needs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clearinghouse.outbox.people import browser_key


@never_cache
@require_safe
def token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token for replaying queued forms (the one in a stored form may be stale:
    signed in again since, or a new session), and whose session this is: a queued form is
    sent only in the session of the person who wrote it."""
    response = JsonResponse({"token": get_token(request), "person": browser_key(request.user)})
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """What waits in this browser's outbox. The list lives in the browser (IndexedDB): the page
    brings the words, outbox.js fills it."""
    return render(request, "outbox/page.html")
