"""huey's signals keep the ledger: a job is recorded from its queueing until it ends, and only
what is still to do, or failed, stays in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from huey import SqliteHuey

from clearinghouse.core import jobs
from clearinghouse.core.models import Job, JobStatus
from clearinghouse.core.tests.queues import Queue

pytestmark = pytest.mark.django_db


def test_a_queued_job_waits_in_the_ledger_with_what_it_takes_to_run_it_again(queue: Queue) -> None:
    queue.tasks["index_record"]("needs:7")

    job = Job.objects.get()
    assert job.status == JobStatus.WAITING
    assert job.name.endswith(".index_record")
    assert job.idempotent
    assert job.attempts == 0
    # The stored message is the job itself: read back, it is the same task with the same argument.
    task = queue.huey.deserialize_task(bytes(job.message))
    assert (task.id, task.args) == (job.task_id, ("needs:7",))


def test_a_job_that_completes_leaves_the_ledger(queue: Queue) -> None:
    queue.tasks["index_record"]("needs:7")
    queue.work()
    assert queue.ran == ["needs:7"]
    assert not Job.objects.exists()


def test_a_job_unsafe_to_run_twice_is_recorded_as_such(queue: Queue) -> None:
    queue.tasks["send_message"]("amina@example.org")
    assert not Job.objects.get().idempotent


def test_a_job_that_fails_for_good_stays_as_failed_with_its_error(queue: Queue) -> None:
    queue.tasks["fail"]("the index is unreachable")
    queue.work()

    job = Job.objects.get()
    assert (job.status, job.attempts, job.outcome) == (
        JobStatus.FAILED,
        1,
        "RuntimeError: the index is unreachable",
    )


def test_a_job_huey_will_retry_waits_again_until_its_retry_is_due(queue: Queue) -> None:
    queue.tasks["fail_then_retry"]("the index is unreachable")
    queue.work()

    job = Job.objects.get()
    assert job.status == JobStatus.WAITING
    assert job.outcome == "RuntimeError: the index is unreachable"
    # Due after the task's retry delay (60 s): not yet waiting for a worker, so never late meanwhile.
    assert (job.due_at - job.enqueued_at).total_seconds() > 50
    assert jobs.queue_state().waiting == 0


def test_nothing_is_recorded_when_jobs_run_inline(tmp_path: Path) -> None:
    huey = SqliteHuey("inline", filename=str(tmp_path / "jobs.sqlite3"), immediate=True)
    jobs.connect(huey)
    ran: list[int] = []

    @huey.task()
    def count() -> None:
        ran.append(1)

    count()
    assert ran == [1]
    assert not Job.objects.exists()
