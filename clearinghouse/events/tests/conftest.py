"""Fixtures of the events tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY


@pytest.fixture(autouse=True)
def _fresh_job_storage() -> Iterator[None]:
    """The scheduler's runs are recorded in the job queue's storage (in memory in tests): one
    test's run must not show in the next one's pages."""
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()
