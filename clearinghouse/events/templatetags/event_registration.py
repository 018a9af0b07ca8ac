"""The registration panel of an event's page: what the reader can do there now."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from clearinghouse.events import permissions
from clearinghouse.events import registration as services
from clearinghouse.events.models import Event, RegistrationStatus

register = template.Library()


@register.inclusion_tag("events/registration/panel_body.html", takes_context=True)
def registration_panel(context: template.Context, event: Event) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    found = services.latest_registration(event, user)
    if found is None and user is not None and getattr(user, "is_authenticated", False):
        found = services.active_registration(event, email=user.email)
    active = found is not None and found.is_active
    reason = services.closed_reason(event)
    free = services.free_places(event)
    return {
        "event": event,
        "registration": found,
        "active": active,
        "position": services.position(found) if found else None,
        "offer_until": (
            timezone.localtime(found.offer_expires_at, event.zone)
            if found is not None and found.status == RegistrationStatus.OFFERED and found.offer_expires_at
            else None
        ),
        "zone": event.time_zone or "UTC",
        "opens": (
            timezone.localtime(event.registration_opens_at, event.zone)
            if event.registration_opens_at
            else None
        ),
        "reason": reason,
        "can_register": event.live and not reason and not active,
        "full": free == 0,
        "free": free,
        "signed_in": bool(getattr(user, "is_authenticated", False)),
        "may_nominate": permissions.may_nominate(user, event) and reason in ("", "not_yet", "none"),
        "is_organiser": permissions.is_organiser(user, event),
        "csrf_token": context.get("csrf_token"),
        "on_register_page": context.get("on_register_page", False),
    }
