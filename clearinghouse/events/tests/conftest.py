from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies the event's term fields come from."""
    load_vocabularies(data_files())


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield
