"""A worker killed in the middle of a job (kill -9, a machine gone): another worker's recovery
runs the job again once if that is safe, or marks it failed for a person to retry."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from clearinghouse.core import jobs
from clearinghouse.core.models import Job, JobStatus
from clearinghouse.core.tests.queues import Queue, WorkerKilled

pytestmark = pytest.mark.django_db


def _killed_while_running(queue: Queue, task: str, argument: str) -> Job:
    """Queue a job; a worker, its heartbeat written, starts it and is killed before it ends."""
    queue.tasks[task](argument)
    jobs.beat(jobs.current_worker())
    queue.kill_during_next_job = True
    with pytest.raises(WorkerKilled):
        queue.work()
    job = Job.objects.get()
    assert (job.status, job.worker_pid, job.attempts) == (JobStatus.RUNNING, os.getpid(), 1)
    return job


def _once_its_heartbeat_is_stale() -> datetime:
    return timezone.now() + timedelta(seconds=settings.JOB_WORKER_STALE_SECONDS + 1)


def test_a_job_whose_worker_was_killed_runs_again_once_and_completes(queue: Queue) -> None:
    job = _killed_while_running(queue, "index_record", "needs:1")
    later = _once_its_heartbeat_is_stale()

    assert jobs.recover(queue.huey, now=later) == jobs.Recovery(requeued=[job.task_id], failed=[])
    # The next recovery (the same worker a heartbeat later, or another worker) finds nothing to do.
    assert jobs.recover(queue.huey, now=later) == jobs.Recovery(requeued=[], failed=[])
    assert queue.huey.pending_count() == 1
    assert Job.objects.get().status == JobStatus.WAITING

    queue.work()
    assert queue.ran == ["needs:1"]
    assert queue.huey.pending_count() == 0
    assert not Job.objects.exists()


def test_a_job_unsafe_to_run_twice_is_marked_failed_and_not_run_again(queue: Queue) -> None:
    job = _killed_while_running(queue, "send_message", "amina@example.org")

    assert jobs.recover(queue.huey, now=_once_its_heartbeat_is_stale()).failed == [job.task_id]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "not safe to run twice" in job.outcome
    # The e-mail may have left before the worker died: nobody sends it again but a person.
    assert queue.huey.pending_count() == 0
    assert queue.ran == []


def test_a_job_started_too_many_times_is_marked_failed(queue: Queue) -> None:
    job = _killed_while_running(queue, "index_record", "needs:1")
    # A job that kills its worker each time must not take every worker down in turn.
    Job.objects.update(attempts=settings.JOB_RERUN_ATTEMPTS)

    assert jobs.recover(queue.huey, now=_once_its_heartbeat_is_stale()).failed == [job.task_id]
    assert queue.huey.pending_count() == 0


@pytest.mark.parametrize(("task", "claimed_as"), [("index_record", "waiting"), ("send_message", "failed")])
def test_two_recoveries_at_once_handle_the_job_once(queue: Queue, task: str, claimed_as: str) -> None:
    _killed_while_running(queue, task, "needs:1")
    later = _once_its_heartbeat_is_stale()
    # Two workers read the ledger at the same moment, and both find the job...
    first, second = jobs.orphaned_jobs(later), jobs.orphaned_jobs(later)
    assert len(first) == len(second) == 1

    # ...but only the first to claim it acts on it.
    assert jobs.recover_job(queue.huey, first[0], later) == claimed_as
    assert jobs.recover_job(queue.huey, second[0], later) == ""
    assert queue.huey.pending_count() == (1 if claimed_as == "waiting" else 0)


def test_the_job_of_a_live_worker_is_left_alone(queue: Queue) -> None:
    _killed_while_running(queue, "index_record", "needs:1")
    later = _once_its_heartbeat_is_stale()
    # The worker still beats: its job is slow, not lost.
    jobs.beat(jobs.current_worker(), now=later)

    assert jobs.recover(queue.huey, now=later) == jobs.Recovery(requeued=[], failed=[])
    assert Job.objects.get().status == JobStatus.RUNNING
    assert queue.huey.pending_count() == 0


def test_the_job_of_a_worker_restarted_under_the_same_process_id_runs_again(queue: Queue) -> None:
    job = _killed_while_running(queue, "index_record", "needs:1")
    later = _once_its_heartbeat_is_stale()
    # A container's worker restarts as process 1 again: a fresh heartbeat, but a newer start.
    me = jobs.current_worker()
    jobs.beat(jobs.Worker(me.host, me.pid, started_at=later), now=later)

    assert jobs.recover(queue.huey, now=later).requeued == [job.task_id]
