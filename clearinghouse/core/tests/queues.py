"""A real job queue for the job ledger's tests: a non-immediate SqliteHuey in a test's own
directory, its jobs recorded in the ledger, and one pass of huey's own worker to run them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huey import SqliteHuey
from huey.consumer import Consumer

from clearinghouse.core import jobs


class WorkerKilled(BaseException):
    """What ``kill -9`` does to a job, as far as its bookkeeping goes: the job never returns and
    huey sends no signal of its end (huey catches Exception and KeyboardInterrupt, not this)."""


@dataclass
class Queue:
    huey: SqliteHuey
    ran: list[str] = field(default_factory=list)
    tasks: dict[str, Any] = field(default_factory=dict)
    # The worker dies in the middle of the next job it runs.
    kill_during_next_job: bool = False

    def _run(self, value: str) -> None:
        if self.kill_during_next_job:
            self.kill_during_next_job = False
            raise WorkerKilled
        self.ran.append(value)

    def work(self) -> None:
        """What a worker thread of ``clearinghouse worker`` does once: take the next job off the
        queue and run it (huey's Worker.loop, signals included)."""
        assert self.huey.pending_count() > 0, "no job waits in the queue"
        worker, _ = Consumer(self.huey, workers=1).worker_threads[0]
        worker.loop()


def make_queue(directory: Path) -> Queue:
    huey = SqliteHuey("ledger-test", filename=str(directory / "jobs.sqlite3"), results=False)
    queue = Queue(huey)
    jobs.connect(huey)

    # An index update: safe to run again.
    @huey.task()
    def index_record(key: str) -> None:
        queue._run(key)

    # An e-mail: not safe to run twice.
    @huey.task(idempotent=False)
    def send_message(to: str) -> None:
        queue._run(to)

    @huey.task()
    def fail(reason: str) -> None:
        raise RuntimeError(reason)

    @huey.task(retries=1, retry_delay=60)
    def fail_then_retry(reason: str) -> None:
        raise RuntimeError(reason)

    queue.tasks = {
        "index_record": index_record,
        "send_message": send_message,
        "fail": fail,
        "fail_then_retry": fail_then_retry,
    }
    return queue
