"""The CPU time the reading of one import may take (IMPORT_MAX_CPU_SECONDS).

The worker runs jobs in threads (huey's thread workers): a signal (SIGXCPU from RLIMIT_CPU, or
an alarm) is delivered to the main thread only, and RLIMIT_CPU counts the whole worker process,
so neither can stop one job. A child process per job would have to carry the database
connection and the uploader's language across. Instead the reading checks the CPU time its own
thread has used (``time.thread_time``) as it goes: on every row it reports (the progress
callback) and every ``CHECK_EVERY`` rows of a sheet. A file that takes longer is stopped before
the save begins, so nothing is saved."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Checking costs a system call: every this many sheet rows is often enough to stop within a
# fraction of a second of the limit.
CHECK_EVERY = 100

_deadline: ContextVar[float | None] = ContextVar("import_cpu_deadline", default=None)
_limit: ContextVar[float] = ContextVar("import_cpu_limit", default=0.0)


class CPULimitExceededError(Exception):
    """The reading used more CPU time than an import may."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"import reading passed its CPU limit of {seconds:g} s")
        self.seconds = seconds


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Within the block, ``check`` raises CPULimitExceededError once this thread has used
    ``seconds`` of CPU time more than when the block began."""
    deadline = _deadline.set(time.thread_time() + seconds)
    limit = _limit.set(seconds)
    try:
        yield
    finally:
        _deadline.reset(deadline)
        _limit.reset(limit)


def check() -> None:
    """Raise CPULimitExceededError if the budget in force is spent (nothing happens outside one)."""
    deadline = _deadline.get()
    if deadline is not None and time.thread_time() > deadline:
        raise CPULimitExceededError(_limit.get())
