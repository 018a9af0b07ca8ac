"""Background jobs of the outbox."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.outbox import services


@db_periodic_task(crontab(hour=3, minute=40))
def prune_submissions() -> int:
    """Forget the answers to submissions older than 30 days (idempotent)."""
    return services.prune()
