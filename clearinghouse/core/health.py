"""Readiness checks for deployments: is each service the platform depends on reachable?"""

from __future__ import annotations

import logging

from django.db import connection
from huey.contrib.djhuey import HUEY

logger = logging.getLogger(__name__)


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


def check() -> dict[str, bool]:
    return {"database": database_ok(), "queue": queue_ok()}
