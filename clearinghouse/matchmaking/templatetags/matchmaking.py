"""Small helpers of the matchmaking pages: what kind of record, how strong a suggestion."""

from __future__ import annotations

from typing import Any

from django import template

from clearinghouse.matching.profiles import Explanation
from clearinghouse.matchmaking import ranking, services, sides
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing import registry

register = template.Library()


@register.filter
def kind(record: Any) -> str:
    """The record's type, in the reader's language ("offer of support", "expert"...)."""
    return str(record._meta.verbose_name) if record is not None else ""


@register.simple_tag
def band(score: float | None) -> str:
    name = ranking.band(score)
    return str(ranking.BANDS[name]) if name else ""


@register.simple_tag
def why(explanation: Explanation, score: float | None = None) -> str:
    return ranking.why(explanation, score)


@register.filter
def matchable(record: Any) -> bool:
    """A need, a request, or support a need can be matched with (a type on either side of
    matching)."""
    try:
        return registry.of(record).side is not None
    except LookupError:
        return False


@register.filter
def is_need(record: Any) -> bool:
    return isinstance(record, Need | Request)


@register.simple_tag
def help_offer(user: Any, record: Any) -> str:
    """What "I can help" shows on a need or request: "offer" to a person with published support
    to propose, "sign_in" to a visitor, "" to anyone else or when the record takes no offers."""
    if not isinstance(record, Need | Request) or not services.takes_offers(record):
        return ""
    if not getattr(user, "is_authenticated", False):
        return "sign_in"
    return "offer" if sides.support_records_of(user, record) else ""
