"""E-mails about round-table meeting requests, each to its recipient in their own language: an
account's preferred language, else the language they registered in. Links are reversed in that
language and lead to the person's "My meetings" page at the request."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import MeetingRequest, Registration


def language_of(registration: Registration) -> str:
    person = registration.person
    return person.preferred_language if person is not None else registration.language


def _send(template: str, request: MeetingRequest, to: Registration, **extra: Any) -> None:
    event = request.event

    def built() -> dict[str, Any]:
        path = reverse("events:meetings", args=[event.identifier])
        return {
            "request": request,
            "event": event,
            "event_title": show(event.title, event.original_language).text or event.identifier,
            "recipient": to,
            "other": request.other(to),
            "priority": request.get_priority_display(),
            "url": site_url(f"{path}#request-{request.pk}"),
            "closes_at": request.expires_at.astimezone(event.zone) if request.expires_at else None,
            "zone": event.zone.key,
        } | extra

    send_templated(f"events/email/{template}", built, to=to.email, language=language_of(to))


def _request(request_id: int) -> MeetingRequest | None:
    return (
        MeetingRequest.objects.select_related("event", "requester__person", "invitee__person", "proposed_by")
        .filter(pk=request_id)
        .first()
    )


def requested(request_id: int) -> None:
    """The invitee is asked for a meeting."""
    request = _request(request_id)
    if request is not None:
        _send("meeting_requested", request, request.invitee)


def proposed(request_id: int) -> None:
    """The organiser proposed a meeting: the provider is asked, the seeker is told."""
    request = _request(request_id)
    if request is not None:
        _send("meeting_requested", request, request.invitee)
        _send("meeting_proposed", request, request.requester)


def answered(request_id: int, note: str) -> None:
    """The requester hears the invitee's answer and note."""
    request = _request(request_id)
    if request is not None:
        _send("meeting_answered", request, request.requester, note=note)


def expired(request_id: int) -> None:
    """The requester hears that the request lapsed unanswered."""
    request = _request(request_id)
    if request is not None:
        _send("meeting_expired", request, request.requester)


def withdrawn(request_id: int, was_accepted: bool) -> None:
    """The invitee hears that the request was withdrawn."""
    request = _request(request_id)
    if request is not None:
        _send("meeting_withdrawn", request, request.invitee, was_accepted=was_accepted)
