"""Canned answers and a regional desk for the tests of the agents' pages."""

from __future__ import annotations

from typing import Any

from clearinghouse.helpdesk.models import CannedAnswer, Desk
from clearinghouse.helpdesk.tests import factories


def canned(body: dict[str, str], *, desk: Desk | None = None, **fields: Any) -> CannedAnswer:
    fields.setdefault("title", {"en": "Where to find the needs form"})
    return CannedAnswer.objects.create(body=body, desk=desk, **fields)


def regional_desk(*agents: Any, code: str = "africa", **fields: Any) -> Desk:
    """A regional desk (not central) whose agents see only its tickets."""
    fields.setdefault("opening_hours", factories.ALWAYS_OPEN)
    return factories.desk(code, central=False, agents=list(agents), **fields)
