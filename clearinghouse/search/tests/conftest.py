"""Shared pieces of the search tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clearinghouse.search import expansion


@pytest.fixture(autouse=True)
def _labels_read_again() -> Iterator[None]:
    """Each test reads the concepts' labels from its own database: a rolled-back test sends no
    signal that would tell the process's copy to forget them."""
    expansion.forget()
    yield
    expansion.forget()
