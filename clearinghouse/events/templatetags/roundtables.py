"""The round-table panel of an event page reads what it shows here, so the event page's view
needs to know nothing of round tables."""

from __future__ import annotations

from typing import Any

from django import template

from clearinghouse.events import permissions, roundtables
from clearinghouse.events.models import Event

register = template.Library()


@register.simple_tag(takes_context=True)
def roundtable_panel(context: template.Context, event: Event) -> dict[str, Any]:
    """The reader's registration, side, items and request counts, and whether they organise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    me = roundtables.participant(event, user) if event.is_round_table else None
    panel: dict[str, Any] = {"me": me, "organiser": bool(user) and permissions.is_organiser(user, event)}
    if me is not None:
        panel["items"] = me.items.count()
        panel["counts"] = roundtables.my_meetings(me).counts()
    return panel
