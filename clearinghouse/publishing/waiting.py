"""What waits for a person in the publishing workflow: the records they may review, and their
own drafts and records returned to them. The review queue and the dashboard both ask here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from clearinghouse.accounts.permissions import is_focal_point, is_secretariat
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record, State

UNFINISHED = (State.DRAFT, State.RETURNED)


@dataclass
class Waiting:
    to_review: list[Record] = field(default_factory=list)  # oldest submission first
    unfinished: list[Record] = field(default_factory=list)  # last changed first


def may_review(user: Any) -> bool:
    """Whether the person reviews anyone's records: the Secretariat, and focal points (the
    ``records.review`` rule's reviewers), for whom the review queue is."""
    return bool(is_secretariat(user) or is_focal_point(user))


def waiting_for(user: Any, *, review: bool = True, own: bool = True) -> Waiting:
    """Submitted records this person may publish (the ``records.review`` rule) and their own
    drafts and returned records, read together: one query per record type."""
    found = Waiting()
    signed_in = bool(getattr(user, "is_authenticated", False))
    review = review and signed_in and may_review(user)
    own = own and signed_in
    if not (review or own):
        return found
    condition = Q(pk__in=[])
    if review:
        condition |= Q(state=State.SUBMITTED)
    if own:
        condition |= Q(created_by=user, state__in=UNFINISHED)
    for record_type in registry.record_types():
        records = record_type.model._default_manager.filter(condition).select_related(
            "owner_country", "owner_organisation", "owner_organisation__country"
        )
        for record in records:
            if record.state == State.SUBMITTED:
                if review and user.has_perm("records.review", record.owner):
                    found.to_review.append(record)
            elif record.created_by_id == user.pk:
                found.unfinished.append(record)
    found.to_review.sort(key=lambda record: record.submitted_at or record.created_at)
    found.unfinished.sort(key=lambda record: record.updated_at, reverse=True)
    return found


def awaiting_review(actor: Any) -> list[Record]:
    """Submitted records this reviewer may publish, oldest first."""
    return waiting_for(actor, own=False).to_review
