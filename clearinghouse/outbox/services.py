"""Receiving a submission once: claim its identifier, keep the first answer, forget failures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.db import IntegrityError, transaction
from django.utils import timezone

from clearinghouse.outbox.models import Submission

# Answers are kept this long: a browser that stayed offline longer sends as new.
KEPT_FOR = timedelta(days=30)
# A claim with no answer after this long belongs to a request that died (a killed worker): the
# next arrival takes it over instead of being told "busy" for ever.
ABANDONED_AFTER = timedelta(minutes=10)


class Verdict(Enum):
    CLAIMED = "claimed"  # first arrival: run the view
    RECEIVED = "received"  # already received with success: answer as the first time
    BUSY = "busy"  # the first arrival is still being received
    NOT_YOURS = "not_yours"  # another person sent this identifier


@dataclass(frozen=True)
class Claim:
    verdict: Verdict
    submission: Submission


def parse_identifier(raw: str) -> uuid.UUID | None:
    """The submission identifier a client sent, or None when it is not a UUID."""
    try:
        return uuid.UUID(raw.strip())
    except (ValueError, AttributeError):
        return None


def claim(identifier: uuid.UUID, *, person_id: int | None, path: str, method: str) -> Claim:
    """Claim ``identifier`` for this request, or say why the view must not run.

    The insert runs in its own transaction and the unique constraint decides: of two
    concurrent arrivals exactly one inserts, the other finds the row.
    """
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                identifier=identifier, person_id=person_id, path=path[:500], method=method
            )
        return Claim(Verdict.CLAIMED, submission)
    except IntegrityError:
        pass
    submission = Submission.objects.get(identifier=identifier)
    if submission.person_id != person_id:
        return Claim(Verdict.NOT_YOURS, submission)
    if not submission.in_progress:
        return Claim(Verdict.RECEIVED, submission)
    # Take over an abandoned claim only if no one else took it over first.
    taken = Submission.objects.filter(
        pk=submission.pk, status_code=None, received_at__lt=timezone.now() - ABANDONED_AFTER
    ).update(received_at=timezone.now())
    return Claim(Verdict.CLAIMED if taken else Verdict.BUSY, submission)


def finish(submission: Submission, *, status_code: int, location: str) -> None:
    """Keep the answer of a received submission for the arrivals that follow."""
    submission.status_code = status_code
    submission.location = location[:1000]
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status_code", "location", "finished_at"])


def forget(submission: Submission) -> None:
    """Drop the claim of a submission the view refused, so that a corrected one with the same
    identifier is accepted later."""
    Submission.objects.filter(pk=submission.pk).delete()


def prune(now: datetime | None = None) -> int:
    """Delete the answers older than KEPT_FOR; return how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = Submission.objects.filter(received_at__lt=cutoff).delete()
    return deleted
