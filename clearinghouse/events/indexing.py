"""Events stay fresh in search and matching: when one ends, its "upcoming/past" facet changes
and it no longer answers needs (a huey job; imported from EventsConfig.ready(), as tasks.py
holds registration's jobs)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clearinghouse.events import services


@db_periodic_task(crontab(hour=0, minute=30))
def announce_ended_events() -> int:
    """Every night: events that ended are indexed again (their "upcoming/past" facet changes) and
    leave the matching catalogue."""
    return len(services.announce_ended())
