"""The survey's panel on the event's page: what the reader may do with the evaluation."""

from __future__ import annotations

from typing import Any

from django import template

from clearinghouse.events import permissions, surveys
from clearinghouse.events.models import Event, Survey

register = template.Library()


@register.simple_tag(takes_context=True)
def survey_panel(context: template.Context, event: Event | str | None = None) -> dict[str, Any]:
    """For a participant, their open invitation; for organisers, the survey's state and response
    rate; for everyone, whether public results are there to read. The event is the page's
    ``event`` (or ``record``)."""
    if not isinstance(event, Event):
        event = context.get("record")
    if not isinstance(event, Event):
        return {}
    request = context.get("request")
    user = getattr(request, "user", None)
    survey = Survey.objects.filter(event=event).first()
    panel: dict[str, Any] = {
        "event": event,
        "survey": survey,
        "invitation": surveys.open_invitation(user, event) if survey else None,
        "organiser": permissions.is_organiser(user, event),
        "public_results": bool(survey and survey.results_public and event.live),
    }
    if survey is not None and panel["organiser"]:
        invited, responses = survey.invitations.count(), survey.responses.count()
        panel |= {
            "state": surveys.state(survey),
            "invited": invited,
            "responses": responses,
            "rate": 100 * responses / invited if invited else None,
        }
    return panel
