"""The worker's import jobs (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clearinghouse.exchange import services


@db_task()
def run_import(job_id: int) -> None:
    """Run one queued import; a job already claimed is left alone, so a second run does nothing."""
    services.run(job_id)


@db_periodic_task(crontab(minute=20))
def clean_up_imports() -> int:
    """Every hour: uploads past their retention period are deleted."""
    return services.clean_up()
