"""How the agents' pages show a service-level target and a language."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.helpdesk import sla

register = template.Library()

# The style of each state: overdue and due soon stand out on the queue and the ticket.
_CLASSES = {
    sla.MISSED: "sla-overdue",
    sla.DUE_SOON: "sla-due-soon",
    sla.ON_TRACK: "sla-on-track",
    sla.PAUSED: "sla-paused",
    sla.MET: "sla-met",
}


@register.filter
def sla_class(target: sla.Target) -> str:
    return _CLASSES.get(target.state, "")


@register.filter
def sla_time(target: sla.Target) -> str:
    """The business time left on a running target, or by how much it is overdue."""
    hours = target.hours_left
    if hours is None or target.done_at is not None:
        return ""
    if hours < 0:
        return _("overdue by %(hours)s business hours") % {"hours": number_format(-hours, 1)}
    return _("%(hours)s business hours left") % {"hours": number_format(hours, 1)}


@register.filter
def language_name(code: str) -> str:
    return str(dict(LANGUAGE_CHOICES).get(code, code))


@register.filter
def page_link(value: str) -> str:
    """The page a requester asked from, as a link only when it is a path of this site or a web
    address: what a form passed along could otherwise be a ``javascript:`` link."""
    value = (value or "").strip()
    if (value.startswith("/") and not value.startswith("//")) or value.startswith(("https://", "http://")):
        return value
    return ""
