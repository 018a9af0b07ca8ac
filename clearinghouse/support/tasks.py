"""Periodic jobs of the support registry (huey; the worker runs them)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.publishing import registry
from clearinghouse.publishing.signals import announce_change
from clearinghouse.support import maintenance, services


@db_periodic_task(crontab(hour=1, minute=0))
def close_opportunities() -> int:
    """Every night: opportunities whose deadline has passed close themselves (the service
    announces the change to search and matching)."""
    return len(services.close_past_deadlines())


# Not run again after its worker died: the reminders are queued before they are recorded as sent.
@db_periodic_task(crontab(day=1, hour=2, minute=0), idempotent=False)
def remind_owners() -> int:
    """On the first of each month: the digest to owners of records due for their yearly confirmation."""
    return maintenance.send_reminders()


@db_periodic_task(crontab(hour=1, minute=30))
def flag_stale() -> int:
    """Every night: records that turned stale are indexed again, so search can filter them."""
    identifiers = maintenance.newly_stale()
    for record_type, changed in registry.by_type(identifiers).items():
        announce_change(record_type.model, changed)
    return len(identifiers)
