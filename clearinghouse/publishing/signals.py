"""What the publishing workflow and the registries' services announce.

``record_changed`` is the one "record changed" path of derived data: every change that alters
what an index or catalogue holds (publish, archive, a need's status, a confirmation, an
opportunity closing...) sends it once, after the change commits, from the service that made it.
Search and matching subscribe in their own apps' ``ready()``; their jobs read the records again,
so a signal sent twice does no harm.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record

record_published = Signal()  # record=; for what starts at publication (a need's first status)
record_changed = Signal()  # record_type=RecordType, identifiers=list[str]; sender: the model
record_downloaded = Signal()  # record=, person=: a signed-in person downloaded a public record


# While a batch is open: the identifiers announced so far, per model, in order.
_batch: ContextVar[dict[type[Record], list[str]] | None] = ContextVar("announcement_batch", default=None)


@contextmanager
def batched_announcements() -> Iterator[None]:
    """Gather the changes announced inside the block and announce them once per model at its
    end: hundreds of records loaded together (the demo data) make a few index and catalogue
    jobs, not hundreds. Nested blocks join the outer one."""
    if _batch.get() is not None:
        yield
        return
    gathered: dict[type[Record], list[str]] = {}
    token = _batch.set(gathered)
    try:
        yield
    finally:
        _batch.reset(token)
    for model, identifiers in gathered.items():
        announce_change(model, identifiers)


def announce_change(model: type[Record], identifiers: Iterable[str]) -> None:
    """Send ``record_changed`` for these records of ``model`` once the current transaction
    commits (at once outside a transaction), or at the end of the open batch."""
    record_type = registry.of(model)
    changed = list(dict.fromkeys(identifiers))
    gathered = _batch.get()
    if gathered is not None:
        gathered.setdefault(model, []).extend(changed)
        return
    if changed:
        transaction.on_commit(
            lambda: record_changed.send(model, record_type=record_type, identifiers=changed)
        )
