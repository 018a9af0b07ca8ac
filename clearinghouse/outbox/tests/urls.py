"""The project's addresses plus a few views whose answers the outbox tests choose."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from clearinghouse.i18n import language_patterns
from clearinghouse.urls import urlpatterns as project

# Every call of the views below, so that a test can tell whether a view ran again.
CALLS: list[str] = []


@require_POST
def note(request: HttpRequest) -> HttpResponse:
    """Keeps a note and says so on the next page (twice, with a long one), or refuses an empty
    one with the page's usual error list."""
    CALLS.append(request.POST.get("text", ""))
    if not request.POST.get("text"):
        return HttpResponse(
            '<div class="error-summary" role="alert"><h2>There is a problem</h2>'
            '<ul><li><a href="#id_text">Write the note.</a></li></ul></div>'
            '<ul class="errorlist"><li>Write the note.</li></ul><input name="text">',
            status=400,
        )
    messages.success(request, "Note kept.")
    if len(request.POST["text"]) > 20:
        messages.warning(request, "It is long.")
    return redirect("/en/about/")


@require_POST
def answer(request: HttpRequest, status: int) -> HttpResponse:
    CALLS.append(str(status))
    if status == 403:
        raise PermissionDenied
    if status == 404:
        raise Http404
    return HttpResponse("<p>answer</p>", status=status)


@login_required
@require_POST
def private(request: HttpRequest) -> HttpResponse:
    CALLS.append("private")
    return redirect("/en/about/")


urlpatterns = [
    *language_patterns(
        path("outbox-test/note/", note),
        path("outbox-test/answer/<int:status>/", answer),
        path("outbox-test/private/", private),
    ),
    *project,
]
