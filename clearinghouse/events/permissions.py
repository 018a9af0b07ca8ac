"""Who may do what around an event, in one place (views and services ask here).

The organisers are the people who may change the event's record (its owners' editors, see
docs/permissions.md) and the Secretariat; the help desk follows round tables' results. A
focal point nominates participants of their own Party.
"""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.events.models import Event, Registration
from clearinghouse.support.permissions import can_edit


def is_organiser(user: Any, event: Event) -> bool:
    """Manage registration, check-in, the survey, the round table's schedule."""
    if not getattr(user, "is_authenticated", False):
        return False
    return roles.is_secretariat(user) or can_edit(user, event)


def may_nominate(user: Any, event: Event) -> bool:
    """National focal points nominate participants of their Party to events that take nominations."""
    if not event.accepts_nominations or not getattr(user, "is_authenticated", False):
        return False
    return bool(roles.countries_for(user, Role.FOCAL_POINT))


def nominating_countries(user: Any) -> set[int]:
    """The Parties (country ids) a person nominates for: those they are focal point of."""
    return roles.countries_for(user, Role.FOCAL_POINT)


def is_participant(user: Any, registration: Registration) -> bool:
    return bool(getattr(user, "is_authenticated", False) and registration.person_id == user.pk)


def follows_results(user: Any) -> bool:
    """The help desk and the Secretariat follow what round tables lead to."""
    return bool(getattr(user, "is_authenticated", False)) and (
        roles.is_secretariat(user) or roles.has_role(user, Role.HELPDESK_AGENT)
    )
