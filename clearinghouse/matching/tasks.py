"""Background jobs that keep the stored embeddings in step with the registries and this host's
caches in step with the database (see index.py). A job that finds another writer holding a
catalogue's lease tries again later."""

from __future__ import annotations

from collections.abc import Collection

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from clearinghouse.matching import index
from clearinghouse.matching.leases import CatalogueBusyError

# When another writer holds a catalogue: try again this much later (a refresh takes seconds).
BUSY_RETRY_SECONDS = 30


@db_task(retries=2, retry_delay=30)
def refresh_records(identifiers: Collection[str]) -> int:
    """Embed and store these records if they are public and current, else take them out; then
    bring this host's caches up to date."""
    try:
        refreshed = index.refresh(identifiers)
    except CatalogueBusyError as busy:
        raise RetryTask(str(busy), delay=BUSY_RETRY_SECONDS) from busy
    return len(refreshed.added) + len(refreshed.removed)


@db_periodic_task(crontab(hour=3, minute=0))
def rebuild_catalogues() -> str:
    """Every night, after the registries' own nightly jobs (opportunities close at 01:00): embed
    what is missing, drop what closed or expired, estimate the language means again, store."""
    try:
        return str(index.rebuild())
    except CatalogueBusyError as busy:
        raise RetryTask(str(busy), delay=BUSY_RETRY_SECONDS) from busy


@db_periodic_task(crontab(minute="*"))
def sync_caches() -> str:
    """Every minute: bring the caches of the host this worker runs on up to date with the
    database (changes written by workers on other hosts). Cheap when nothing changed."""
    done = index.sync()
    return " ".join(f"{catalogue}={outcome}" for catalogue, outcome in done.items())
