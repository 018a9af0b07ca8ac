"""Keep the catalogues in step with what is public (as jobs, after the change commits)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clearinghouse.matching import tasks
from clearinghouse.publishing.registry import RecordType


def record_changed(
    sender: type[Any], record_type: RecordType, identifiers: Sequence[str], **kwargs: Any
) -> None:
    """Published, withdrawn, closed, addressed...: the job works out which from the records
    themselves. The records whose facts read these ones (a request reads its needs' terms)
    follow too. A type that is searched but not matched is embedded too, for search."""
    matching = record_type.matching
    if matching is None and record_type.search is None:
        return
    changed = list(identifiers)
    if matching is not None and matching.dependents is not None:
        changed += matching.dependents(identifiers)
    tasks.refresh_records(changed)
