"""Harvesting a source: fetch its listing, read each document with the source's mapping, and
create, update, withdraw or bring back our records through the publishing workflow (as the
platform itself, ``actor=None``), so that search indexes them and matching sees them.

Atomicity: each document is applied in a transaction of its own (a refused document changes
nothing, the others are harvested); a failed run (the answer unreachable, too large, too slow,
malformed...) changes no record at all, and withdraws nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from clearinghouse.harvest import envelopes, fetching
from clearinghouse.harvest.envelopes import Document
from clearinghouse.harvest.fetching import HarvestError
from clearinghouse.harvest.mappings import MAPPINGS, Mapping, Reading, RefusedError
from clearinghouse.harvest.models import HarvestedRecord, Problem, Run, Schedule, Source
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Record, State
from clearinghouse.publishing.origins import Origin

logger = logging.getLogger(__name__)

INTERVALS = {Schedule.DAILY: timedelta(days=1), Schedule.WEEKLY: timedelta(days=7)}
# A run still marked running after this long died with its worker; the source may run again.
RUN_GIVEN_UP_AFTER = timedelta(hours=2)


def locate_origins(identifiers: Sequence[str]) -> dict[str, Origin]:
    """publishing.origins' question: which of these records come from a source."""
    rows = HarvestedRecord.objects.filter(identifier__in=identifiers).select_related("source")
    return {row.identifier: Origin(source=row.source.name, url=row.original_url) for row in rows}


def due_sources(now: Any = None) -> list[Source]:
    """Enabled, scheduled sources whose last run started a day or a week ago (or never ran),
    and none of whose runs is still going."""
    now = now or timezone.now()
    running = Run.objects.filter(
        source=OuterRef("pk"), outcome=Run.Outcome.RUNNING, started_at__gt=now - RUN_GIVEN_UP_AFTER
    )
    sources = (
        Source.objects.filter(enabled=True)
        .exclude(schedule=Schedule.MANUAL)
        .annotate(last=Max("runs__started_at"), running=Exists(running))
    )
    return [
        source
        for source in sources
        if not source.running
        and (source.last is None or source.last <= now - INTERVALS[Schedule(source.schedule)])
    ]


def _problem(run: Run, document: Document | None, code: str, params: dict[str, Any]) -> None:
    identifier = document.identifier[:128] if document is not None else ""
    Problem.objects.create(run=run, source_identifier=identifier, code=code, params=params)


def _publish(record: Record) -> None:
    workflow.submit(record, actor=None)
    workflow.publish(record, actor=None)


def _withdraw(row: HarvestedRecord, model: type[Record]) -> bool:
    record = model._default_manager.filter(identifier=row.identifier).first()
    row.withdrawn = True
    row.save(update_fields=["withdrawn"])
    if record is not None and record.live:
        workflow.archive(record, actor=None)
        return True
    return False


def _apply(source: Source, mapping: Mapping, document: Document, run: Run) -> str:
    """Bring one listed document in: "created", "updated", "unchanged" or "withdrawn"
    (raises RefusedError)."""
    model = mapping.model
    row = HarvestedRecord.objects.filter(source=source, source_identifier=document.identifier).first()
    if document.deleted:
        return "withdrawn" if row is not None and not row.withdrawn and _withdraw(row, model) else "unchanged"
    now = timezone.now()
    if row is not None and row.version == document.version and not row.withdrawn:
        row.last_seen_at = now
        row.save(update_fields=["last_seen_at"])
        return "unchanged"
    reading = Reading(document.body)
    values = mapping.read(reading)
    url = source.original_url(document.identifier, document.url)
    if row is None:
        record = workflow.create(model, actor=None, owner=source.owner, values=values)
        _publish(record)
        HarvestedRecord.objects.create(
            source=source,
            source_identifier=document.identifier,
            identifier=record.identifier,
            original_url=url,
            version=document.version,
            last_seen_at=now,
        )
        outcome = "created"
    else:
        record = model._default_manager.get(identifier=row.identifier)
        if record.state == State.ARCHIVED:
            workflow.republish(record, actor=None)
        if row.version != document.version:
            workflow.save_draft(record, actor=None, values=values, base_revision=None)
            _publish(record)
        row.version, row.original_url, row.withdrawn, row.last_seen_at = document.version, url, False, now
        row.save(update_fields=["version", "original_url", "withdrawn", "last_seen_at"])
        outcome = "updated"
    for code, params in reading.notes:
        _problem(run, document, code, params)
    return outcome


def _reason(error: ValidationError) -> tuple[str, str]:
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.message_dict.items()))
        return name, " ".join(errors)
    return "-", " ".join(error.messages)


def _harvest_document(source: Source, mapping: Mapping, document: Document | None, run: Run) -> str:
    if document is None:
        raise RefusedError("not_a_document")
    if not envelopes.IDENTIFIER.match(document.identifier):
        raise RefusedError("bad_identifier", {"identifier": document.identifier[:130] or "-"})
    if document.schema not in mapping.schemas:
        raise RefusedError(
            "other_schema", {"schema": document.schema[:60] or "-", "expected": mapping.schemas[0]}
        )
    try:
        with transaction.atomic():
            return _apply(source, mapping, document, run)
    except IntegrityError:
        # Another run made its record meanwhile; the next run finds it.
        raise RefusedError("already_running") from None
    except ValidationError as error:
        name, reason = _reason(error)
        raise RefusedError("invalid", {"field": name, "reason": reason[:300]}) from None


def _vouch(source: Source, mapping: Mapping, listed: set[str]) -> None:
    """A source that still lists a record vouches for it: confirmed as accurate, so it is never
    flagged stale nor its owners asked to confirm what they cannot change here."""
    if not listed or not hasattr(mapping.model, "confirmed_at"):
        return
    ours = HarvestedRecord.objects.filter(source=source, source_identifier__in=listed, withdrawn=False)
    mapping.model._default_manager.filter(identifier__in=ours.values("identifier"), live=True).update(
        confirmed_at=timezone.now()
    )


def _listing(source: Source, mapping: Mapping, body: bytes | None) -> list[Document | None]:
    """Every document of the source's listing, page after page, or HarvestError. Only a whole
    listing is used: records it leaves out are withdrawn, so a listing cut short (too many
    pages, a page elsewhere, pages in a loop) fails the run and changes nothing."""
    if body is not None:
        return envelopes.json_page(fetching.parse_json(body), source.url)[0]
    listed: list[Document | None] = []
    url: str | None = source.url
    host = urlsplit(source.url).hostname or ""
    read: set[str] = set()
    while url is not None:
        if url in read:
            raise HarvestError("page_loop")
        if len(read) == settings.HARVEST_MAX_PAGES:
            raise HarvestError("too_many_pages", {"pages": settings.HARVEST_MAX_PAGES})
        if (urlsplit(url).hostname or "") != host:
            raise HarvestError(
                "redirect_other_host", {"host": (urlsplit(url).hostname or "")[:200], "expected": host}
            )
        read.add(url)
        content, kind = fetching.fetch(url)
        if fetching.is_json(kind):
            page, url = envelopes.json_page(fetching.parse_json(content), url)
        else:
            page, url = envelopes.atom_page(content, mapping.schemas[0], url)
        listed.extend(page)
    return listed


def harvest(source: Source, *, body: bytes | None = None) -> Run:
    """One run over the source's full listing: fetched from its address, or ``body`` (a file
    shaped like its answer, as the demo loads). What the listing no longer holds is withdrawn."""
    since = timezone.now() - RUN_GIVEN_UP_AFTER
    running = source.runs.filter(outcome=Run.Outcome.RUNNING, started_at__gt=since).exists()
    run = Run.objects.create(source=source)
    mapping = MAPPINGS[source.mapping]
    try:
        if running:
            # "Harvest now" while the scheduled run goes on: one run at a time per source.
            raise HarvestError("already_running")
        listed = _listing(source, mapping, body)
    except HarvestError as error:
        run.outcome, run.failure, run.failure_params = Run.Outcome.FAILED, error.code, error.params
        run.ended_at = timezone.now()
        run.save()
        return run
    counts = {"created": 0, "updated": 0, "unchanged": 0, "withdrawn": 0, "refused": 0}
    listed_identifiers = set()
    for document in listed:
        if document is not None and envelopes.IDENTIFIER.match(document.identifier) and not document.deleted:
            # Listed, even if refused below: a record is withdrawn only when its source drops it.
            listed_identifiers.add(document.identifier)
        try:
            counts[_harvest_document(source, mapping, document, run)] += 1
        except RefusedError as refused:
            counts["refused"] += 1
            _problem(run, document, refused.code, refused.params)
        except Exception:
            # A shape no reader foresaw: this document is refused (its transaction rolled back),
            # the others are harvested, and the trace goes to the log for a fix.
            logger.exception("harvest of %s: document %s", source.name, document and document.identifier)
            counts["refused"] += 1
            _problem(run, document, "unreadable", {})
    _vouch(source, mapping, listed_identifiers)
    gone = HarvestedRecord.objects.filter(source=source, withdrawn=False).filter(
        ~Q(source_identifier__in=listed_identifiers)
    )
    for row in gone:
        with transaction.atomic():
            counts["withdrawn"] += _withdraw(row, mapping.model)
    run.fetched = len(listed)
    for name, count in counts.items():
        setattr(run, name, count)
    run.outcome, run.ended_at = Run.Outcome.DONE, timezone.now()
    run.save()
    return run
