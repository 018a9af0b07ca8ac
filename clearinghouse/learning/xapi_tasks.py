"""Sending the statements to a learning record store, when a deployment sets one
(LEARNING_LRS_ENDPOINT; docs/learning.md, "xAPI").

Nothing is lost when the store is down: a statement is marked sent only once the store has
accepted it (200 or 204, or 409 for a statement it already holds), and until then it is tried
again, later and later (exponential back-off up to a cap), never dropped. Each statement keeps
its id, so one sent twice (a crash between the store's answer and our commit) is stored once.
A batch the store refuses as a whole is sent again one statement at a time, so one statement
it cannot take does not hold back the others.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from clearinghouse.learning import xapi
from clearinghouse.learning.models import Activity

logger = logging.getLogger(__name__)

BATCH = 50
# At most this many batches a run: the rest waits for the next minute.
BATCHES_PER_RUN = 40
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)
TIMEOUT = (5, 30)
SENT = {200, 204}


def delay_after(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4, ... minutes, at most 6 hours."""
    return min(FIRST_DELAY * (1 << min(max(attempts - 1, 0), 20)), LONGEST_DELAY)


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def due(now: datetime) -> Any:
    return Activity.objects.filter(sent_at__isnull=True).filter(
        Q(next_send_at__isnull=True) | Q(next_send_at__lte=now)
    )


def _post(session: requests.Session, statements: list[dict[str, Any]]) -> tuple[int | None, str]:
    """POST the statements; the status (None when the store could not be reached) and an error."""
    endpoint = settings.LEARNING_LRS_ENDPOINT.rstrip("/") + "/statements"
    auth = None
    if settings.LEARNING_LRS_USERNAME:
        auth = (settings.LEARNING_LRS_USERNAME, settings.LEARNING_LRS_PASSWORD)
    try:
        answer = session.post(
            endpoint,
            data=json.dumps(statements),
            headers={"X-Experience-API-Version": xapi.VERSION, "Content-Type": "application/json"},
            auth=auth,
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"
    if answer.status_code in SENT:
        return answer.status_code, ""
    return answer.status_code, f"HTTP {answer.status_code}: {answer.text[:200]}"


def _mark_sent(ids: list[Any], now: datetime) -> None:
    Activity.objects.filter(pk__in=ids, sent_at__isnull=True).update(
        sent_at=now, last_error="", next_send_at=None
    )


def _mark_failed(rows: list[Activity], error: str, now: datetime) -> None:
    for row in rows:
        attempts = min(row.send_attempts + 1, 32000)
        Activity.objects.filter(pk=row.pk, sent_at__isnull=True).update(
            send_attempts=attempts, last_error=error[:300], next_send_at=now + delay_after(attempts)
        )


def _send_batch(session: requests.Session, rows: list[Activity], now: datetime, report: Report) -> bool:
    """Send one batch; False when the store could not be reached or failed (stop for now)."""
    names = xapi.pseudonyms({row.enrolment.person_id for row in rows})
    made = [xapi.statement(row, names[row.enrolment.person_id]) for row in rows]
    status, error = _post(session, made)
    if status in SENT:
        _mark_sent([row.pk for row in rows], now)
        report.sent += len(rows)
        return True
    if status in (400, 409) and len(rows) > 1:
        # Refused as a whole: one statement may be the cause. Send them one by one.
        for row, one in zip(rows, made, strict=True):
            single_status, single_error = _post(session, [one])
            if single_status in SENT or single_status == 409:
                _mark_sent([row.pk], now)
                report.sent += 1
            else:
                _mark_failed([row], single_error, now)
                report.failed += 1
                report.errors.append(single_error)
                if single_status is None or single_status >= 500:
                    return False
        return True
    if status == 409:
        # The store already holds a statement with this id: it has it.
        _mark_sent([row.pk for row in rows], now)
        report.sent += len(rows)
        return True
    _mark_failed(rows, error, now)
    report.failed += len(rows)
    report.errors.append(error)
    return False


def send_pending(*, now: datetime | None = None, session: requests.Session | None = None) -> Report:
    """Send the statements not yet sent whose time has come, oldest first, in batches."""
    report = Report()
    if not settings.LEARNING_LRS_ENDPOINT:
        return report
    now = now or timezone.now()
    session = session or requests.Session()
    for _ in range(BATCHES_PER_RUN):
        rows = list(xapi.with_everything(due(now)).order_by("timestamp", "id")[:BATCH])
        if not rows or not _send_batch(session, rows, now, report):
            break
    if report.failed:
        logger.warning("xAPI: %d statements not accepted by the store: %s", report.failed, report.errors[-1])
    return report


@db_periodic_task(crontab(minute="*"))
def send_statements() -> None:
    """Every minute: what could not be sent at once, or was recorded while the store was down."""
    with HUEY.lock_task("learning-xapi-send"):
        send_pending()


@db_task()
def send_statements_now() -> None:
    with HUEY.lock_task("learning-xapi-send"):
        send_pending()


def _enqueue() -> None:
    send_statements_now()


def activity_recorded(sender: type[Activity], instance: Activity, created: bool, **kwargs: Any) -> None:
    """After the transaction that recorded learning activity, send it (once per transaction)."""
    if not created or not settings.LEARNING_LRS_ENDPOINT:
        return
    connection = transaction.get_connection()
    if any(callback is _enqueue for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue)


def unsent_count() -> int:
    return Activity.objects.filter(sent_at__isnull=True).count()


def oldest_failure() -> Activity | None:
    return (
        Activity.objects.filter(sent_at__isnull=True, send_attempts__gt=0)
        .order_by(F("timestamp").asc())
        .first()
    )
