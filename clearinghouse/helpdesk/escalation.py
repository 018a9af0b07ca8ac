"""Who hears of a service level about to be missed or missed, and what they read.

A warning goes to the agent the ticket is assigned to, or to the desk's agents while nobody has
it. A breach goes to the desk's leads (to its agents if it has no lead, so that somebody hears);
when a regional desk misses a resolution, the central desk's leads hear of it too. Each person
reads the message in their own language, with times in the desk's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.helpdesk.models import Desk, Ticket

RESPONSE = "response"
RESOLUTION = "resolution"


def _unique(people: Iterable[Any]) -> list[Any]:
    found: dict[int, Any] = {}
    for person in people:
        if person.email and person.is_active:
            found.setdefault(person.pk, person)
    return list(found.values())


def warned_people(ticket: Ticket, desk_agents: list[Any]) -> list[Any]:
    """The assigned agent, else the desk's agents."""
    if ticket.assigned_to is not None:
        return _unique([ticket.assigned_to])
    return _unique(desk_agents)


def escalation_people(
    target: str, desk: Desk, leads: list[Any], agents: list[Any], central_leads: list[Any]
) -> list[Any]:
    """The desk's leads (its agents if it has none); the central desk's leads as well when a
    regional desk misses a resolution."""
    people = list(leads or agents)
    if target == RESOLUTION and not desk.is_central:
        people += central_leads
    return _unique(people)


def _ticket_url(ticket: Ticket) -> str:
    try:
        return site_url(ticket.get_absolute_url())
    except NoReverseMatch:
        # A site without the agents' ticket pages: the reference alone finds it.
        return ""


def _send(template: str, ticket: Ticket, target: str, due: datetime, people: list[Any]) -> int:
    zone = ZoneInfo(ticket.desk.time_zone)
    url = _ticket_url(ticket)
    for person in people:
        language = person.preferred_language or settings.LANGUAGE_CODE

        def context(person: Any = person) -> dict[str, object]:
            return {
                "ticket": ticket,
                "person": person,
                "response": target == RESPONSE,
                "due": due.astimezone(zone),
                "zone": ticket.desk.time_zone,
                "url": url,
            }

        def send(person: Any = person, language: str = language, context: Any = context) -> None:
            # The date filter shows times in the active zone: the desk's.
            with timezone.override(zone):
                send_templated(f"helpdesk/email/{template}", context, to=person.email, language=language)

        transaction.on_commit(send)
    return len(people)


def send_warning(ticket: Ticket, target: str, due: datetime, people: list[Any]) -> int:
    """Tell ``people`` that the ticket's target is about to be missed; how many were told."""
    return _send("warning", ticket, target, due, people)


def send_breach(ticket: Ticket, target: str, due: datetime, people: list[Any]) -> int:
    """Tell ``people`` that the ticket's target was missed; how many were told."""
    return _send("breach", ticket, target, due, people)
