"""The JSON answer a replayed submission gets (header ``X-Outbox: 1``) instead of the page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages as page_messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# The views people are sent to when they must sign in (again) before the form counts.
SIGN_IN_VIEWS = frozenset(
    {"account_login", "account_reauthenticate", "mfa_authenticate", "accounts:second_factor"}
)

# Void elements never get an end tag: they must not count as open containers.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def messages() -> dict[str, str]:
    """What the person reads for each outcome, in the active language."""
    return {
        "sent": _("Sent. The server received it."),
        "invalid": _("The form was not accepted. Open it, correct what is shown and send it again."),
        "conflict": _("The record changed since you opened this form. Open it again to see the changes."),
        "signed_out": _("You were signed out. Sign in again, then send it again."),
        "forbidden": _("You are not allowed to send this form."),
        "gone": _("What this form was about no longer exists."),
        "busy": _("This form is already being received. It will be checked again shortly."),
        "error": _("The server could not take this form just now. It will be sent again later."),
        "not_yours": _("This submission was sent by someone else. Open the form and send it again."),
        "bad_identifier": _("The submission identifier is not valid. Open the form and send it again."),
    }


def is_sign_in(location: str) -> bool:
    """Whether a redirect leads to signing in (the view found no signed-in person)."""
    try:
        match = resolve(urlsplit(location).path)
    except Resolver404:
        return False
    return match.view_name in SIGN_IN_VIEWS


def succeeded(response: HttpResponse) -> bool:
    """A submission counts as received when the view answered 2xx or 3xx, unless it sent the
    person to sign in."""
    if not 200 <= response.status_code < 400:
        return False
    return not (300 <= response.status_code < 400 and is_sign_in(response.get("Location", "")))


def outcome_of(response: HttpResponse) -> str:
    """The outcome the outbox shows for a view's answer."""
    status = response.status_code
    if 300 <= status < 400 and is_sign_in(response.get("Location", "")):
        return "signed_out"
    if status < 400:
        return "sent"
    if status == 401:
        return "signed_out"
    if status == 403:
        return "forbidden"
    if status in {404, 410}:
        return "gone"
    if status == 409:
        return "conflict"
    if status in {400, 413, 422}:
        return "invalid"
    # 429 and 5xx: try again later.
    return "error"


class _ErrorCollector(HTMLParser):
    """The texts of the error messages a rendered form shows: the items of ``.errorlist`` and
    of ``[role=alert]`` (the error summary), or the alert's paragraphs when it has no list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, inside an error area, collecting
        self.errors: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        named = dict(attrs)
        inside = bool(self.stack and self.stack[-1][1])
        area = inside or "errorlist" in (named.get("class") or "").split() or named.get("role") == "alert"
        collecting = inside and self.current is None and tag in {"li", "p"}
        if collecting:
            self.current = []
        self.stack.append((tag, area, collecting))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, _area, collecting = self.stack.pop()
            if collecting and self.current is not None:
                text = " ".join("".join(self.current).split())
                if text and text not in self.errors:
                    self.errors.append(text)
                self.current = None
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)


def errors_in(html: str) -> list[str]:
    """The error messages a rendered page shows, in order, each once."""
    collector = _ErrorCollector()
    collector.feed(html)
    collector.close()
    return collector.errors


def envelope(
    outcome: str, *, message: str = "", errors: list[str] | None = None, location: str = "", status: int = 200
) -> JsonResponse:
    body: dict[str, Any] = {
        "outcome": outcome,
        "message": message or messages()[outcome],
        "errors": errors or [],
        "location": location,
    }
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _consumed_messages(request: HttpRequest) -> list[str]:
    """The texts of the messages waiting for the person's next page ("Draft saved."), marked
    read: the envelope answers instead of that page, and they must not turn up later on an
    unrelated one."""
    return [str(message) for message in page_messages.get_messages(request)]


def envelope_for(request: HttpRequest, response: HttpResponse) -> JsonResponse:
    """The view's answer (or the replayed first answer) as the outbox reads it, with the messages
    the view left for the next page when it was received."""
    outcome = outcome_of(response)
    # A page sending its own form online opens where it leads: the messages wait for that page.
    said = [] if request.headers.get("X-Outbox-Follow") == "1" else _consumed_messages(request)
    errors: list[str] = []
    readable = response.get("Content-Type", "").startswith("text/html") and not response.streaming
    if outcome in {"invalid", "conflict", "forbidden", "gone", "error"} and readable:
        errors = errors_in(response.content.decode(response.charset or "utf-8", "replace"))
    message = errors[0] if outcome == "conflict" and errors else ""
    if outcome == "sent" and not message:
        message = " ".join(said)
    location = response.get("Location", "") if outcome in {"sent", "signed_out"} else ""
    # A replay answered 2xx would make fetch() follow nothing; a redirect would be followed,
    # so the envelope itself is never a redirect.
    status = {"sent": 200, "signed_out": 401}.get(outcome, response.status_code)
    return envelope(outcome, message=message, errors=errors, location=location, status=status)
