"""Keep the search index in step with the registries: a changed record or organisation is
indexed again (or leaves the index when it is no longer public, or no longer exists), as a job."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clearinghouse.publishing.registry import RecordType
from clearinghouse.search import organisations, tasks


def record_changed(
    sender: type[Any], record_type: RecordType, identifiers: Sequence[str], **kwargs: Any
) -> None:
    if record_type.search is not None:
        tasks.index_documents(list(identifiers))


def organisation_changed(sender: type[Any], codes: Sequence[str], **kwargs: Any) -> None:
    tasks.index_documents([organisations.key(code) for code in codes])
