"""Keep the search index in step with the registries: a changed record is indexed again (or
leaves the index when it is no longer public), as a job."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clearinghouse.publishing.registry import RecordType
from clearinghouse.search import tasks


def record_changed(
    sender: type[Any], record_type: RecordType, identifiers: Sequence[str], **kwargs: Any
) -> None:
    if record_type.search is not None:
        tasks.index_documents(list(identifiers))
