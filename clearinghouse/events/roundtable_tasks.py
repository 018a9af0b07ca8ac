"""Round tables' background job: unanswered meeting requests expire when requests close."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.events import roundtables


@db_periodic_task(crontab(minute="*/10"))
def expire_meeting_requests() -> int:
    """Every ten minutes: expire the pending requests of round tables whose requests have
    closed, and tell the requesters. Pages check the same when they open (``expire_due``)."""
    return roundtables.expire_requests()
