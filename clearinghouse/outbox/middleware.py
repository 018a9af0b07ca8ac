"""Each submission that carries a client-generated identifier is acted on once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from clearinghouse.outbox import replies, services
from clearinghouse.outbox.models import Submission

FIELD = "submission_id"
HEADER = "X-Submission-Id"
CLAIM = "_outbox_claim"


def replayed(request: HttpRequest) -> bool:
    """Whether the outbox (not a person at the page) sent this request: it wants JSON."""
    return request.headers.get("X-Outbox") == "1"


def replayed_submission(request: HttpRequest) -> bool:
    """Whether the outbox replays a submission claimed under its identifier just now: a form a
    person filled in earlier (perhaps days ago, offline), not one sent the moment it was shown."""
    return replayed(request) and getattr(request, CLAIM, None) is not None


class SubmissionOnceMiddleware:
    """For a POST with a submission identifier (form field ``submission_id`` or header
    ``X-Submission-Id``): claim it before the view runs, answer a repeat as the first time
    without running the view, forget the claim when the view refused. With ``X-Outbox: 1`` the
    answer is the outbox's JSON envelope, in the language of the URL.

    The check runs in ``process_view``, after the CSRF check, so a forged request never reads
    a stored answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        submission: Submission | None = getattr(request, CLAIM, None)
        if submission is not None:
            if replies.succeeded(response):
                services.finish(
                    submission, status_code=response.status_code, location=response.get("Location", "")
                )
            else:
                services.forget(submission)
        if replayed(request) and request.method == "POST" and not isinstance(response, _Envelope):
            return replies.envelope_for(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        raw = request.headers.get(HEADER) or request.POST.get(FIELD)
        if not raw:
            return None
        identifier = services.parse_identifier(raw)
        if identifier is None:
            return self._refuse(request, "bad_identifier", 400, "invalid")
        user = request.user
        person_id = user.pk if user.is_authenticated else None
        found = services.claim(identifier, person_id=person_id, path=request.path, method=request.method)
        if found.verdict is services.Verdict.CLAIMED:
            setattr(request, CLAIM, found.submission)
            return None
        if found.verdict is services.Verdict.BUSY:
            return self._refuse(request, "busy", 409, "busy")
        if found.verdict is services.Verdict.NOT_YOURS:
            return self._refuse(request, "not_yours", 409, "conflict")
        return self._first_answer(request, found.submission)

    def _first_answer(self, request: HttpRequest, submission: Submission) -> HttpResponse:
        """The answer the first arrival got, without running the view again."""
        if replayed(request):
            return _Envelope(replies.envelope("sent", location=submission.location))
        status = submission.status_code or 200
        if submission.location:
            response = HttpResponse(status=status)
            response["Location"] = submission.location
            messages.info(request, _("This form had already been received; nothing was saved twice."))
            return response
        return render(
            request,
            "outbox/already_received.html",
            {"submission": submission},
            status=status,
        )

    def _refuse(self, request: HttpRequest, key: str, status: int, outcome: str) -> HttpResponse:
        message = replies.messages()[key]
        if replayed(request):
            return _Envelope(replies.envelope(outcome, message=message, status=status))
        return render(request, "outbox/refused.html", {"message": message}, status=status)


class _Envelope(HttpResponse):
    """Marks an answer that is already the outbox's envelope."""

    def __init__(self, wrapped: HttpResponse) -> None:
        super().__init__(wrapped.content, status=wrapped.status_code, content_type=wrapped["Content-Type"])
        self["Cache-Control"] = "no-store"
