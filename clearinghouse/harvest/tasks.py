"""Harvests run as background jobs: every hour the sources that are due are queued, one job
each; "Harvest now" queues one."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clearinghouse.harvest import services
from clearinghouse.harvest.models import Source


@db_task(retries=0)
def harvest_source(source_id: int) -> str:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    run = services.harvest(source)
    counts = f"created={run.created} updated={run.updated} withdrawn={run.withdrawn} refused={run.refused}"
    return f"{run.outcome} {counts}"


@db_periodic_task(crontab(minute=20))
def harvest_due_sources() -> int:
    due = services.due_sources()
    for source in due:
        harvest_source(source.pk)
    return len(due)
