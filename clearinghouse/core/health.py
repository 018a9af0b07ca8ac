"""Readiness checks for deployments: is each service the platform depends on reachable, and are
background jobs being run? (docs/operations.md#background-jobs-workers-and-health)"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY

from clearinghouse.core import jobs

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
# Jobs run inline (immediate mode): no queue to wait in, no worker to wait for.
INLINE = "inline"
UNKNOWN = "unknown"
LATE = "late"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def queue_ok() -> bool:
    try:
        HUEY.pending_count()
    except Exception:
        logger.exception("health check: job queue unreachable")
        return False
    return True


def report() -> tuple[bool, dict[str, object]]:
    """Whether the platform is healthy, and what /healthz shows of it. Unhealthy: the database
    or the queue unreachable, jobs waiting with no live worker, or a job waiting longer than
    JOB_WAITING_ALERT_SECONDS."""
    database = database_ok()
    queue = queue_ok()
    body: dict[str, object] = {
        "database": OK if database else UNAVAILABLE,
        "queue": OK if queue else UNAVAILABLE,
        "workers": UNKNOWN,
        "jobs": UNKNOWN,
        "waiting_jobs": None,
        "oldest_waiting_job_seconds": None,
        "failed_jobs": None,
        "live_workers": None,
        "last_heartbeat_seconds": None,
    }
    healthy = database and queue
    if HUEY.immediate:
        body |= {"workers": INLINE, "jobs": INLINE}
    elif database:
        try:
            state = jobs.queue_state()
        except Exception:
            logger.exception("health check: job ledger unreadable")
            return False, body
        workers_ok = state.live_workers > 0
        on_time = (state.oldest_waiting_seconds or 0) <= settings.JOB_WAITING_ALERT_SECONDS
        body |= {
            # No live worker is reported as such, but only matters once a job waits for one.
            "workers": OK if workers_ok else UNAVAILABLE,
            "jobs": OK if on_time else LATE,
            "waiting_jobs": state.waiting,
            "oldest_waiting_job_seconds": state.oldest_waiting_seconds,
            "failed_jobs": state.failed,
            "live_workers": state.live_workers,
            "last_heartbeat_seconds": state.last_heartbeat_seconds,
        }
        healthy = healthy and on_time and (workers_ok or state.waiting == 0)
    return healthy, body
