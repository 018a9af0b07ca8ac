"""Keep the search index in step with what is public (as jobs, after the change commits)."""

from __future__ import annotations

from typing import Any

from clearinghouse.publishing.models import Record
from clearinghouse.search import tasks


def index_published(sender: type[Record], record: Record, **kwargs: Any) -> None:
    tasks.index_documents([record.identifier])


def unindex_withdrawn(sender: type[Record], record: Record, **kwargs: Any) -> None:
    tasks.remove_documents([record.identifier])
