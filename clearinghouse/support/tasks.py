"""Periodic jobs of the support registry (huey; the worker runs them)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.search import tasks as search_tasks
from clearinghouse.support import maintenance, services


@db_periodic_task(crontab(hour=1, minute=0))
def close_opportunities() -> int:
    """Every night: opportunities whose deadline has passed close themselves."""
    closed = services.close_past_deadlines()
    if closed:
        # Their search facet says "closed" from now on.
        search_tasks.index_documents(closed)
    return len(closed)


@db_periodic_task(crontab(day=1, hour=2, minute=0))
def remind_owners() -> int:
    """On the first of each month: the digest to owners of records due for their yearly confirmation."""
    return maintenance.send_reminders()


@db_periodic_task(crontab(hour=1, minute=30))
def flag_stale() -> int:
    """Every night: records that turned stale are indexed again, so search can filter them."""
    identifiers = maintenance.newly_stale()
    if identifiers:
        search_tasks.index_documents(identifiers)
    return len(identifiers)
