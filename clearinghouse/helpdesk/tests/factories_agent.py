"""Canned answers and a regional desk for the tests of the agents' pages."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts.models import Role
from clearinghouse.accounts.roles import forget_appointments, has_role
from clearinghouse.accounts.services import appoint
from clearinghouse.core.testing import give_second_factor
from clearinghouse.helpdesk.models import CannedAnswer, Desk
from clearinghouse.helpdesk.tests import factories


def canned(body: dict[str, str], *, desk: Desk | None = None, **fields: Any) -> CannedAnswer:
    fields.setdefault("title", {"en": "Where to find the needs form"})
    return CannedAnswer.objects.create(body=body, desk=desk, **fields)


def regional_desk(*agents: Any, code: str = "africa", **fields: Any) -> Desk:
    """A regional desk (not central) whose agents see only its tickets. Its agents hold the
    help-desk role, as desks require (desks.py)."""
    for agent in agents:
        if not has_role(agent, Role.HELPDESK_AGENT):
            appoint(actor=None, user=agent, role=Role.HELPDESK_AGENT)
            forget_appointments(agent)
            # The role asks for a second factor before acting (accounts.mfa_policy).
            give_second_factor(agent)
        forget_appointments(agent)
    fields.setdefault("opening_hours", factories.ALWAYS_OPEN)
    return factories.desk(code, central=False, agents=list(agents), **fields)
