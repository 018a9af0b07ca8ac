"""One writer at a time for a catalogue's stored state, on every host.

A writer (a worker's job, the nightly rebuild, the command) takes the lease of each catalogue it
changes: one conditional UPDATE of the catalogue's ``CatalogueState`` row, which takes it only
when nobody holds it or the holder's lease has expired. That is atomic on SQLite and PostgreSQL
alike and needs no transaction left open while records are embedded (minutes for a rebuild).
A writer that dies lets go when its lease expires; a long one renews it as it goes, and checks
it is still the holder in the transaction that writes (``check``), so that a writer whose lease
was taken over writes nothing.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from clearinghouse.matching.models import Catalogue, CatalogueState

# Long enough for a refresh; a rebuild renews it between chunks of records.
LEASE_SECONDS = 300
POLL_SECONDS = 1.0


class CatalogueBusyError(Exception):
    """Another writer holds the lease of a catalogue: try again later."""


@dataclass(frozen=True)
class Lease:
    holder: str
    catalogues: tuple[Catalogue, ...]

    def renew(self) -> None:
        """Push the expiry back; raises CatalogueBusyError when another writer took the lease
        meanwhile (even if it has let go since: what this writer read may be out of date)."""
        expires = timezone.now() + timedelta(seconds=LEASE_SECONDS)
        for catalogue in self.catalogues:
            kept = CatalogueState.objects.filter(catalogue=catalogue, holder=self.holder).update(
                lease_expires=expires
            )
            if not kept:
                raise CatalogueBusyError(f"the lease of the {catalogue} catalogue was taken over")

    def check(self, catalogue: Catalogue) -> CatalogueState:
        """The catalogue's state row, locked for this transaction (PostgreSQL), once it is
        certain this writer still holds the lease."""
        state = CatalogueState.objects.select_for_update().get(catalogue=catalogue)
        if state.holder != self.holder:
            raise CatalogueBusyError(f"the lease of the {catalogue} catalogue was taken over")
        return state


def states(catalogues: Collection[Catalogue]) -> None:
    """Make sure each catalogue has its state row."""
    for catalogue in catalogues:
        CatalogueState.objects.get_or_create(catalogue=catalogue)


def _take(catalogue: Catalogue, holder: str) -> bool:
    now = timezone.now()
    free = Q(holder="") | Q(holder=holder) | Q(lease_expires__lt=now)
    taken = CatalogueState.objects.filter(free, catalogue=catalogue).update(
        holder=holder, lease_expires=now + timedelta(seconds=LEASE_SECONDS)
    )
    return taken == 1


def _release(catalogue: Catalogue, holder: str) -> None:
    CatalogueState.objects.filter(catalogue=catalogue, holder=holder).update(holder="", lease_expires=None)


@contextmanager
def hold(catalogues: Collection[Catalogue], *, wait: float = 0) -> Iterator[Lease]:
    """Hold the leases of these catalogues for the block. Waits up to ``wait`` seconds for a
    busy one, then raises CatalogueBusyError (taken ones are let go)."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    wanted = tuple(sorted(set(catalogues)))
    states(wanted)
    taken: list[Catalogue] = []
    deadline = time.monotonic() + wait
    try:
        for catalogue in wanted:
            while not _take(catalogue, holder):
                if time.monotonic() >= deadline:
                    current = CatalogueState.objects.filter(catalogue=catalogue).values_list(
                        "holder", flat=True
                    )
                    raise CatalogueBusyError(
                        f"another writer ({current.first() or 'unknown'}) holds the {catalogue} catalogue"
                    )
                time.sleep(POLL_SECONDS)
            taken.append(catalogue)
        yield Lease(holder, wanted)
    finally:
        for catalogue in taken:
            _release(catalogue, holder)
