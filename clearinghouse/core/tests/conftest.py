from __future__ import annotations

from pathlib import Path

import pytest

from clearinghouse.core.tests.queues import Queue, make_queue


@pytest.fixture
def queue(tmp_path: Path) -> Queue:
    """A real (not immediate) job queue whose jobs the ledger records."""
    return make_queue(tmp_path)
