"""Keep the matching catalogues in step with what is public (as jobs, after the change commits)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from clearinghouse.matching import tasks
from clearinghouse.matching.sources import CLOSED_NEED_STATUSES, side_of
from clearinghouse.needs.models import Need, NeedStatusChange
from clearinghouse.publishing.models import Record


def record_changed(sender: type[Record], record: Record, **kwargs: Any) -> None:
    """Published (again) or withdrawn: the job works out which from the record itself."""
    if side_of(sender) is None:
        return
    identifiers = [record.identifier]
    if isinstance(record, Need):
        # A request is matched on its needs' types, targets and subjects: its profile in the
        # needs catalogue changes with theirs.
        identifiers += record.requests.filter(live=True).values_list("identifier", flat=True)
    tasks.refresh_records(identifiers)


def need_status_changed(
    sender: type[NeedStatusChange], instance: NeedStatusChange, created: bool, **kwargs: Any
) -> None:
    """An addressed or withdrawn need asks for nothing more: it leaves the needs catalogue."""
    if created and instance.status in CLOSED_NEED_STATUSES:
        identifier = instance.need.identifier
        transaction.on_commit(lambda: tasks.refresh_records([identifier]))
