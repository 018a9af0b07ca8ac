"""The attendance panel of an event's page: links for its organisers and participants, and the
disaggregated participation (statistics.event_panel decides who sees what)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clearinghouse.events import attendance, permissions, statistics
from clearinghouse.events.models import Event, RegistrationStatus

register = template.Library()


def _links(user: Any, event: Event) -> list[tuple[str, str]]:
    identifier = event.identifier
    links: list[tuple[str, str]] = []
    if permissions.is_organiser(user, event):
        links += [
            (reverse("events:checkin", args=[identifier]), _("Check-in desk")),
            (reverse("events:checkin_list", args=[identifier, "xlsx"]), _("Check-in list (Excel)")),
            (reverse("events:participants_export", args=[identifier, "xlsx"]), _("Participants (Excel)")),
            (reverse("events:participants_import", args=[identifier]), _("Import participants")),
            (reverse("events:certificates", args=[identifier]), _("Certificates of attendance")),
        ]
    elif event.registrations.filter(status=RegistrationStatus.CONFIRMED, listed=True).exists():
        links.append(
            (reverse("events:participants_export", args=[identifier, "xlsx"]), _("Participants (Excel)"))
        )
    if getattr(user, "is_authenticated", False):
        mine = event.registrations.filter(person=user, status=RegistrationStatus.CONFIRMED).first()
        if mine is not None:
            links.append((reverse("events:ticket", args=[identifier]), _("Your ticket")))
            if attendance.may_have_certificate(mine):
                links.append(
                    (reverse("events:my_certificate", args=[identifier]), _("Your certificate of attendance"))
                )
    return links


@register.simple_tag(takes_context=True)
def attendance_panel(context: template.Context) -> SafeString:
    event = context.get("event") or context.get("record")
    request = context.get("request")
    if not isinstance(event, Event) or request is None:
        return SafeString("")
    values = {
        "event": event,
        "links": _links(request.user, event),
        "breakdowns": statistics.event_panel(event, request.user),
        "exact": permissions.is_organiser(request.user, event),
        "threshold": statistics.THRESHOLD,
    }
    return SafeString(render_to_string("events/attendance/_panel.html", values, request))  # nosec B703
