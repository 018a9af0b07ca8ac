"""Two arrivals of the same identifier at the same moment: the database's unique constraint lets
exactly one claim it; the other is told it is being received."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from clearinghouse.outbox import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_of_two_simultaneous_claims_exactly_one_wins() -> None:
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory with a shared cache, where a second writer is
        # refused at once ("table is locked"); a file database waits (its busy timeout), as
        # PostgreSQL does, where this runs.
        pytest.skip("two writers at once need PostgreSQL or a file database")
    identifier = uuid.uuid4()
    start = threading.Barrier(2)
    verdicts: list[services.Verdict] = []

    def arrive() -> None:
        start.wait()
        try:
            verdicts.append(services.claim(identifier, person_id=None, path="/", method="POST").verdict)
        finally:
            connection.close()

    threads = [threading.Thread(target=arrive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(verdict.value for verdict in verdicts) == ["busy", "claimed"]
