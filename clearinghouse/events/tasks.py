"""Background jobs of events: offered places that lapse go to the next person waiting."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.events import registration


@db_periodic_task(crontab(minute="*/10"))
def lapse_offers() -> int:
    """Every ten minutes: lapse the offers past their time and offer those places to the next on
    each waiting list (pages also do it when read). Idempotent; returns how many were offered."""
    return registration.expire_all()
