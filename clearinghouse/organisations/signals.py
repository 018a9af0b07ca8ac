"""What the organisations registry announces: ``organisation_changed`` (``codes=list[str]``),
sent once the change commits, for whatever keeps a copy of organisations (the search index).

Organisations are saved by their services, the admin, the action plan's import and the demo
data alike, so the announcement follows the model's own save and delete rather than each path.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from clearinghouse.organisations.models import Organisation

organisation_changed = Signal()  # codes=list[str]; sender: Organisation


def announce_change(codes: list[str]) -> None:
    """Send ``organisation_changed`` for these codes after the current transaction commits."""
    if codes:
        transaction.on_commit(lambda: organisation_changed.send(Organisation, codes=codes))


def saved_or_deleted(sender: type[Organisation], instance: Organisation, **kwargs: Any) -> None:
    announce_change([instance.code])
