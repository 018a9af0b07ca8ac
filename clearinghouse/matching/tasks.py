"""Background jobs that keep the matching catalogues in step with the registries (the worker is
their one writer; see index.py)."""

from __future__ import annotations

from collections.abc import Collection

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clearinghouse.matching import index


@db_task(retries=2, retry_delay=30)
def refresh_records(identifiers: Collection[str]) -> int:
    """Embed and index these records if they are public and current, else take them out."""
    refreshed = index.refresh(identifiers)
    return len(refreshed.added) + len(refreshed.removed)


@db_periodic_task(crontab(hour=3, minute=0))
def rebuild_catalogues() -> str:
    """Every night, after the registries' own nightly jobs (opportunities close at 01:00): embed
    what is missing, drop what closed or expired, refresh the language means, save."""
    return str(index.rebuild())
