"""The job ledger: background jobs are never lost silently when a worker dies.

huey's signals record each job in ``Job`` from the moment it is queued until it ends: waiting,
running on which worker (host and process) since when and for the how-many-th time, and failed.
A job that completes, is revoked, cancelled or expired, or is skipped because another run holds
its lock, leaves the ledger at once: the table only holds what is still to do or to look at.

Every ``clearinghouse worker`` writes a heartbeat (``WorkerHeartbeat``) every
JOB_HEARTBEAT_SECONDS from a thread of its own, and at start and after each heartbeat looks for
jobs recorded as running on a worker not seen for JOB_WORKER_STALE_SECONDS (killed, or its
machine gone). Such a job is queued again when its task is safe to run again and it was started
fewer than JOB_RERUN_ATTEMPTS times; otherwise it is marked failed, and a person runs it again
from the admin (``run_again``). Tasks are safe to run again unless declared otherwise:
``@task(idempotent=False)`` (an e-mail sent twice is not harmless).

Nothing is recorded in immediate mode (jobs run inline: there is no queue to lose them from).
The ledger is written by hand: huey offers the signals, not the bookkeeping.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from huey import Huey
from huey import signals as huey_signals
from huey.api import Task

from clearinghouse.core.models import Job, JobStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)

# Heartbeats of workers gone for longer than this are removed: by then their jobs were handled.
HEARTBEAT_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Worker:
    """One worker process: the host and process id it records on the jobs it runs."""

    host: str
    pid: int
    started_at: datetime


# Set while this process serves as ``clearinghouse worker`` (and inherited by the processes a
# worker forks, so their jobs are recorded under the worker that beats for them).
_this_worker: Worker | None = None


# Outside a worker (huey run by hand), jobs are recorded under the process that runs them.
_PROCESS_STARTED = timezone.now()


def current_worker() -> Worker:
    return _this_worker or Worker(socket.gethostname(), os.getpid(), _PROCESS_STARTED)


def _when(eta: datetime | None, huey: Huey) -> datetime | None:
    """huey's naive times (UTC unless the instance says otherwise) as aware ones."""
    if eta is None or timezone.is_aware(eta):
        return eta
    return eta.replace(tzinfo=UTC) if huey.utc else timezone.make_aware(eta)


def _is_idempotent(task: Task) -> bool:
    return bool(getattr(task, "idempotent", True))


# --- recording what huey does -------------------------------------------------------------------


def record_waiting(huey: Huey, task: Task, now: datetime | None = None) -> None:
    """A job was queued, or scheduled for later (a retry after a delay)."""
    now = now or timezone.now()
    waiting = {
        "name": huey._registry.task_to_string(type(task)),
        "message": huey.serialize_task(task),
        "status": JobStatus.WAITING,
        "idempotent": _is_idempotent(task),
        "due_at": _when(task.eta, huey) or now,
        "started_at": None,
        "worker_host": "",
        "worker_pid": None,
    }
    Job.objects.update_or_create(
        task_id=task.id, defaults=waiting, create_defaults=waiting | {"enqueued_at": now}
    )


def record_running(huey: Huey, task: Task, now: datetime | None = None) -> None:
    """A worker starts the job."""
    now = now or timezone.now()
    worker = current_worker()
    running = {"status": JobStatus.RUNNING, "started_at": now, "worker_host": worker.host}
    with transaction.atomic():
        started = Job.objects.filter(task_id=task.id).update(
            **running, worker_pid=worker.pid, attempts=F("attempts") + 1
        )
        if not started:
            # Queued before the ledger existed, or by a transaction that was rolled back.
            Job.objects.create(
                task_id=task.id,
                name=huey._registry.task_to_string(type(task)),
                message=huey.serialize_task(task),
                idempotent=_is_idempotent(task),
                enqueued_at=now,
                due_at=now,
                worker_pid=worker.pid,
                attempts=1,
                **running,
            )


def _ours(task: Task) -> Any:
    """The ledger's row of a job this worker ran, unless another worker has started it since
    (queued again when this one was taken for dead): its outcome belongs to that run."""
    worker = current_worker()
    return Job.objects.filter(task_id=task.id).filter(
        ~Q(status=JobStatus.RUNNING) | Q(worker_host=worker.host, worker_pid=worker.pid)
    )


def record_done(task: Task) -> None:
    """The job completed, or ended on purpose without running: nothing left to do."""
    _ours(task).delete()


def record_error(task: Task, error: object) -> None:
    """The job raised: failed for good when huey will not retry it (a retry records itself as
    waiting again)."""
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    update: dict[str, Any] = {"outcome": text[:2000]}
    if not task.retries:
        update["status"] = JobStatus.FAILED
    _ours(task).update(**update)


def _record(huey: Huey, signal: str, task: Task, *args: Any) -> None:
    if signal in (huey_signals.SIGNAL_ENQUEUED, huey_signals.SIGNAL_SCHEDULED):
        record_waiting(huey, task)
    elif signal == huey_signals.SIGNAL_EXECUTING:
        record_running(huey, task)
    elif signal == huey_signals.SIGNAL_ERROR:
        record_error(task, args[0] if args else signal)
    elif signal in (huey_signals.SIGNAL_TIMEOUT, huey_signals.SIGNAL_RATE_LIMITED):
        record_error(task, signal)
    elif signal == huey_signals.SIGNAL_INTERRUPTED:
        # Left running: the worker is stopping, and its heartbeat, removed on the way out, hands
        # the job to the recovery.
        _ours(task).update(outcome=signal)
    else:
        record_done(task)


def _release_connections(signal: str) -> None:
    """In a worker, outside any job (a job may queue another, mid-transaction), as huey's own
    db_task does around a job: never write on a connection the database dropped, and keep none
    open between jobs."""
    if _this_worker is not None and signal != huey_signals.SIGNAL_ENQUEUED and not connection.in_atomic_block:
        close_old_connections()


RECORDED_SIGNALS = (
    huey_signals.SIGNAL_ENQUEUED,
    huey_signals.SIGNAL_SCHEDULED,
    huey_signals.SIGNAL_EXECUTING,
    huey_signals.SIGNAL_COMPLETE,
    huey_signals.SIGNAL_ERROR,
    huey_signals.SIGNAL_TIMEOUT,
    huey_signals.SIGNAL_RATE_LIMITED,
    huey_signals.SIGNAL_INTERRUPTED,
    huey_signals.SIGNAL_CANCELED,
    huey_signals.SIGNAL_REVOKED,
    huey_signals.SIGNAL_EXPIRED,
    huey_signals.SIGNAL_LOCKED,
)


def connect(huey: Huey) -> Callable[..., None]:
    """Keep the ledger of ``huey``'s jobs (from CoreConfig.ready() for the platform's queue);
    nothing in immediate mode. Each write is atomic (a savepoint when the job is queued inside a
    transaction), and huey logs and swallows a receiver's error: a ledger that cannot be written
    never stops a job."""

    def receive(signal: str, task: Task, *args: Any) -> None:
        if huey.immediate:
            return
        _release_connections(signal)
        try:
            with transaction.atomic():
                _record(huey, signal, task, *args)
        finally:
            _release_connections(signal)

    huey.signal(*RECORDED_SIGNALS)(receive)
    return receive


# --- heartbeats and recovery --------------------------------------------------------------------


def beat(worker: Worker, now: datetime | None = None) -> None:
    """Record that ``worker`` is alive."""
    WorkerHeartbeat.objects.update_or_create(
        host=worker.host,
        pid=worker.pid,
        defaults={"started_at": worker.started_at, "last_seen_at": now or timezone.now()},
    )


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.JOB_WORKER_STALE_SECONDS)


def orphaned_jobs(now: datetime | None = None) -> list[Job]:
    """Jobs recorded as running on a worker that is gone: no heartbeat fresher than
    JOB_WORKER_STALE_SECONDS, or one from a worker started since (a process restarted with the
    same id). A job started less than that long ago is left alone, whoever runs it."""
    now = now or timezone.now()
    stale_before = _stale_before(now)
    alive = {
        (heartbeat.host, heartbeat.pid): heartbeat.started_at
        for heartbeat in WorkerHeartbeat.objects.filter(last_seen_at__gte=stale_before)
    }
    running = Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=stale_before)
    return [job for job in running if _gone(job, alive)]


def _gone(job: Job, alive: dict[tuple[str, int], datetime]) -> bool:
    worker_started = alive.get((job.worker_host, job.worker_pid or 0))
    return worker_started is None or job.started_at is None or worker_started > job.started_at


@dataclass(frozen=True)
class Recovery:
    requeued: list[str]
    failed: list[str]


def recover(huey: Huey, now: datetime | None = None) -> Recovery:
    """Queue again, or mark failed, the jobs of workers that are gone (``orphaned_jobs``).
    Several workers may recover at once: each job is claimed by one conditional update, and
    only the worker whose update changed the row queues it."""
    now = now or timezone.now()
    requeued: list[str] = []
    failed: list[str] = []
    for job in orphaned_jobs(now):
        outcome = recover_job(huey, job, now)
        if outcome == JobStatus.WAITING:
            requeued.append(job.task_id)
        elif outcome == JobStatus.FAILED:
            failed.append(job.task_id)
    WorkerHeartbeat.objects.filter(last_seen_at__lt=now - HEARTBEAT_KEPT).delete()
    if requeued or failed:
        logger.warning("jobs of stopped workers: queued again %s, failed %s", requeued, failed)
    return Recovery(requeued, failed)


def recover_job(huey: Huey, job: Job, now: datetime) -> str:
    """Queue ``job`` again (WAITING) or mark it failed (FAILED), if it is still running where
    ``orphaned_jobs`` found it; "" when another recovery got there first."""
    claim = Job.objects.filter(
        pk=job.pk,
        status=JobStatus.RUNNING,
        worker_host=job.worker_host,
        worker_pid=job.worker_pid,
        started_at=job.started_at,
    )
    stopped = f"its worker {job.worker_host}:{job.worker_pid} stopped while running it"
    reason = ""
    if not job.idempotent:
        reason = f"{stopped}; not run again by itself, as it is not safe to run twice"
    elif job.attempts >= settings.JOB_RERUN_ATTEMPTS:
        reason = f"{stopped}; started {job.attempts} times, not run again by itself"
    else:
        try:
            task = huey.deserialize_task(bytes(job.message))
        except Exception as error:
            reason = f"{stopped}; cannot be read again: {error}"
    if reason:
        return JobStatus.FAILED if claim.update(status=JobStatus.FAILED, outcome=reason) else ""
    with transaction.atomic():
        if not claim.update(
            status=JobStatus.WAITING,
            due_at=now,
            started_at=None,
            worker_host="",
            worker_pid=None,
            outcome=f"{stopped}; queued again",
        ):
            return ""
        # Inside the transaction: should the queue refuse it, the job stays running and orphaned,
        # for the next recovery.
        huey.enqueue(task)
    return JobStatus.WAITING


def run_again(job: Job, huey: Huey) -> bool:
    """Queue a failed job again, as a person decided: with its task's retries, due now. False
    when it is no longer failed (run again already, or deleted)."""
    task = huey.deserialize_task(bytes(job.message))
    task.retries = type(task).default_retries
    task.eta = None
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.WAITING, due_at=timezone.now(), attempts=0, outcome=""
        ):
            return False
        huey.enqueue(task)
    return True


@contextmanager
def serving_as_worker(huey: Huey) -> Iterator[Worker]:
    """While a ``clearinghouse worker`` runs: its heartbeat, written now and then every
    JOB_HEARTBEAT_SECONDS by a thread of its own, and the recovery of stopped workers' jobs, at
    start and after each heartbeat. On the way out the heartbeat is removed, so the jobs this
    worker leaves unfinished go to the next recovery."""
    global _this_worker
    worker = Worker(socket.gethostname(), os.getpid(), timezone.now())
    _this_worker = worker
    stop = threading.Event()
    thread = threading.Thread(target=_keep_beating, args=(worker, huey, stop), name="heartbeat", daemon=True)
    try:
        beat(worker)
        recover(huey)
        _close_connection()
        thread.start()
        yield worker
    finally:
        stop.set()
        if thread.is_alive():
            thread.join()
        WorkerHeartbeat.objects.filter(host=worker.host, pid=worker.pid).delete()
        _close_connection()
        _this_worker = None


def _keep_beating(worker: Worker, huey: Huey, stop: threading.Event) -> None:
    while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
        try:
            beat(worker)
            recover(huey)
        except Exception:
            logger.exception("job ledger: heartbeat or recovery failed")
        finally:
            _close_connection()


def _close_connection() -> None:
    """The worker's main thread and heartbeat thread keep no connection open between uses (a
    test's transaction is left alone)."""
    if not connection.in_atomic_block:
        connection.close()


# --- what /healthz reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueState:
    waiting: int
    oldest_waiting_seconds: int | None
    failed: int
    live_workers: int
    last_heartbeat_seconds: int | None


def queue_state(now: datetime | None = None) -> QueueState:
    """The ledger at a glance: jobs due and not started, the oldest one's wait, failed jobs, and
    the workers seen within JOB_WORKER_STALE_SECONDS."""
    now = now or timezone.now()
    due = Job.objects.filter(status=JobStatus.WAITING, due_at__lte=now).aggregate(
        oldest=Min("due_at"), count=Count("pk")
    )
    heartbeats = WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))
    return QueueState(
        waiting=due["count"],
        oldest_waiting_seconds=_seconds(now - due["oldest"]) if due["oldest"] else None,
        failed=Job.objects.filter(status=JobStatus.FAILED).count(),
        live_workers=WorkerHeartbeat.objects.filter(last_seen_at__gte=_stale_before(now)).count(),
        last_heartbeat_seconds=_seconds(now - heartbeats["last"]) if heartbeats["last"] else None,
    )


@dataclass(frozen=True)
class LedgerAlerts:
    failed: int
    overdue: int


def ledger_alerts(now: datetime | None = None) -> LedgerAlerts:
    """What in the ledger wants a person, in one query: failed jobs, and jobs due for longer than
    JOB_WAITING_ALERT_SECONDS and not started (those for which /healthz answers 503)."""
    now = now or timezone.now()
    overdue_since = now - timedelta(seconds=settings.JOB_WAITING_ALERT_SECONDS)
    counts = Job.objects.aggregate(
        failed=Count("pk", filter=Q(status=JobStatus.FAILED)),
        overdue=Count("pk", filter=Q(status=JobStatus.WAITING, due_at__lt=overdue_since)),
    )
    return LedgerAlerts(failed=counts["failed"], overdue=counts["overdue"])


def may_open_ledger(user: Any) -> bool:
    """Whether the person reaches the ledger in the admin: active staff who may view jobs. The
    staff flag is read first, so that nobody else costs a query on their permissions."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and user.has_perm("core.view_job")
    )


def _seconds(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds()))
