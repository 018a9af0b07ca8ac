"""The round table's schedule panel on the event's page: what this reader may open."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from clearinghouse.events import permissions, schedules
from clearinghouse.events.models import Event

register = template.Library()


@register.simple_tag(takes_context=True)
def schedule_links(context: template.Context, event: Event) -> dict[str, str]:
    """``{% schedule_links event as links %}``: the organisers' schedule pages, a participant's
    availability and (once published) agenda; nothing for anyone else."""
    if not isinstance(event, Event) or not event.is_round_table:
        return {}
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    links: dict[str, str] = {}
    registration = schedules.participant_of(user, event)
    if registration is not None:
        links["availability"] = reverse("events:schedule_availability", args=[event.identifier])
        if schedules.may_see_agenda(user, registration):
            links["agenda"] = reverse("events:schedule_agenda", args=[event.identifier, registration.pk])
    if permissions.is_organiser(user, event):
        links["schedule"] = reverse("events:schedule", args=[event.identifier])
        links["slots"] = reverse("events:schedule_slots", args=[event.identifier])
    return links
