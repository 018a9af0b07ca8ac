"""Background jobs that keep the index in step with the registries, and the e-mail alerts of
saved searches (huey; the worker runs them)."""

from __future__ import annotations

from collections.abc import Collection

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clearinghouse.search import alerts, providers, service
from clearinghouse.search.models import Frequency


@db_task(retries=2, retry_delay=30)
def index_documents(keys: Collection[str]) -> int:
    """Index the published records of ``keys``; keys no provider returns leave the index."""
    wanted = set(keys)
    documents = list(providers.documents(wanted))
    found = {document.key for document in documents}
    indexed = service.index(documents)
    if wanted - found:
        service.remove(wanted - found)
    return indexed


@db_task(retries=2, retry_delay=30)
def remove_documents(keys: Collection[str]) -> int:
    """Take records out of the index (withdrawn, archived, deleted)."""
    return service.remove(list(keys))


@db_periodic_task(crontab(hour=5, minute=0))
def send_daily_digests() -> int:
    """Every morning (UTC, before the working day in most of the world): the daily alerts."""
    return alerts.send_digests(Frequency.DAILY)


@db_periodic_task(crontab(day_of_week=1, hour=5, minute=15))
def send_weekly_digests() -> int:
    """On Mondays: the weekly alerts."""
    return alerts.send_digests(Frequency.WEEKLY)


@db_periodic_task(crontab(day=1, hour=5, minute=30))
def send_monthly_digests() -> int:
    """On the first of each month: the monthly alerts."""
    return alerts.send_digests(Frequency.MONTHLY)
