"""The follow-up's daily job: requests for new participations, then the due requests sent, each
once (``follow_up.run``; running it twice sends nothing twice)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.community import follow_up


@db_periodic_task(crontab(hour=6, minute=20))
def send_follow_up_requests() -> tuple[int, int]:
    """Every morning: returns (requests created, requests sent)."""
    return follow_up.run()
