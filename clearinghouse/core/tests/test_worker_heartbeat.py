"""Each ``clearinghouse worker`` writes a heartbeat while it runs, and removes it when it stops."""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

import pytest
from django.core.management import call_command
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHueyCommand

from clearinghouse.core import jobs
from clearinghouse.core.models import Job, JobStatus, WorkerHeartbeat
from clearinghouse.core.tests.queues import Queue, WorkerKilled

pytestmark = pytest.mark.django_db


class StopAfter(threading.Event):
    """A stop flag that lets the heartbeat loop run ``beats`` times, without waiting."""

    def __init__(self, beats: int) -> None:
        super().__init__()
        self.beats = beats

    def wait(self, timeout: float | None = None) -> bool:
        self.beats -= 1
        return self.beats < 0


def test_a_worker_writes_its_heartbeat_while_it_runs_and_removes_it_when_it_stops(queue: Queue) -> None:
    with jobs.serving_as_worker(queue.huey) as worker:
        heartbeat = WorkerHeartbeat.objects.get()
        assert (heartbeat.host, heartbeat.pid) == (socket.gethostname(), os.getpid())
        assert heartbeat.started_at == worker.started_at
        # The jobs it runs are recorded under its name.
        assert jobs.current_worker() == worker
    assert not WorkerHeartbeat.objects.exists()
    assert jobs.current_worker() != worker


def test_the_heartbeat_is_written_again_at_each_beat(queue: Queue) -> None:
    worker = jobs.current_worker()
    jobs.beat(worker)
    first = WorkerHeartbeat.objects.get().last_seen_at

    jobs._keep_beating(worker, queue.huey, StopAfter(beats=2))
    assert WorkerHeartbeat.objects.get().last_seen_at > first


def test_the_heartbeat_loop_recovers_the_jobs_of_stopped_workers(queue: Queue, settings: Any) -> None:
    queue.tasks["index_record"]("needs:1")
    queue.kill_during_next_job = True
    with pytest.raises(WorkerKilled):
        queue.work()
    # The job started on a worker that left no heartbeat at all, and no wait is allowed.
    settings.JOB_WORKER_STALE_SECONDS = -1

    jobs._keep_beating(jobs.Worker("survivor", 1, jobs.current_worker().started_at), queue.huey, StopAfter(1))
    assert Job.objects.get().status == JobStatus.WAITING
    assert queue.huey.pending_count() == 1


def test_the_worker_command_serves_with_its_heartbeat(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    # Instead of running huey's consumer (until stopped): look at the ledger while it would run.
    monkeypatch.setattr(
        RunHueyCommand, "handle", lambda self, *args, **options: seen.append(WorkerHeartbeat.objects.count())
    )
    call_command("worker")
    assert seen == [1]
    assert not WorkerHeartbeat.objects.exists()
