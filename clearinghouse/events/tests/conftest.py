from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies the event's term fields come from."""
    load_vocabularies(data_files())


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture(autouse=True)
def _fresh_job_storage() -> Iterator[None]:
    """The scheduler's runs are recorded in the job queue's storage (in memory in tests): one
    test's run must not show in the next one's pages."""
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()
