"""Keep the matching catalogues in step with what is public (as jobs, after the change commits)."""

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
    follow too."""
    matching = record_type.matching
    if matching is None:
        return
    changed = list(identifiers)
    if matching.dependents is not None:
        changed += matching.dependents(identifiers)
    tasks.refresh_records(changed)
