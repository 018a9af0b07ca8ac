"""The job queue in its two production forms: an SQLite file (default) and Redis."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from huey import Huey, RedisHuey, SqliteHuey


def _round_trip(huey: Huey) -> list[int]:
    done: list[int] = []

    @huey.task()
    def add(a: int, b: int) -> None:
        done.append(a + b)

    add(2, 3)
    assert huey.pending_count() == 1
    # What a worker does: take the job off the queue and run it.
    huey.execute(huey.dequeue())
    assert huey.pending_count() == 0
    return done


def test_jobs_wait_in_an_sqlite_file_until_a_worker_runs_them(tmp_path: Path) -> None:
    huey = SqliteHuey("test", filename=str(tmp_path / "jobs.sqlite3"))
    assert _round_trip(huey) == [5]


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="Redis is not running on 127.0.0.1:6379")
def test_jobs_wait_in_redis_when_redis_is_configured() -> None:
    huey = RedisHuey("clearinghouse-test", url="redis://127.0.0.1:6379/15")
    huey.flush()
    try:
        assert _round_trip(huey) == [5]
    finally:
        huey.flush()
