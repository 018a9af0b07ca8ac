"""Who may change a support record: the house rules (records.draft on the owner, see
docs/permissions.md) plus one rule of this registry: an expert edits and submits their own
profile (``Expert.expert_user``) whatever their role. Publishing stays with the reviewers."""

from __future__ import annotations

from typing import Any

from clearinghouse.publishing import access
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Expert


def is_the_expert(user: Any, record: Record) -> bool:
    return (
        isinstance(record, Expert)
        and getattr(user, "is_authenticated", False)
        and record.expert_user_id is not None
        and record.expert_user_id == user.pk
    )


def can_edit(user: Any, record: Record) -> bool:
    """Save drafts, add language versions, confirm the record is accurate."""
    return bool(user.has_perm("records.draft", record.owner)) or is_the_expert(user, record)


def can_submit(user: Any, record: Record) -> bool:
    return bool(user.has_perm("records.submit", record.owner)) or is_the_expert(user, record)


def can_read_working_copy(user: Any, record: Record) -> bool:
    return access.can_read_working_copy(user, record) or is_the_expert(user, record)


def can_see(user: Any, record: Record) -> bool:
    return record.live or can_read_working_copy(user, record)


def can_see_confidential(user: Any, record: Record) -> bool:
    """Contact and personal details: public when the provider or expert said so."""
    return not access.hidden_fields(user, record)
