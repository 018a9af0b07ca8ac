"""Who may see what of a record."""

from __future__ import annotations

from typing import Any

from clearinghouse.publishing.models import Record


def can_read_working_copy(user: Any, record: Record) -> bool:
    """Drafts, pending changes and history: the record's authors and reviewers only."""
    return bool(user.has_perm("records.read_draft", record.owner))


def can_see_confidential(user: Any, record: Record) -> bool:
    """Confidential fields (contact details): the owners, the reviewers and the help desk."""
    return can_read_working_copy(user, record) or bool(user.has_perm("helpdesk.handle_requests"))


def can_see(user: Any, record: Record) -> bool:
    return record.live or can_read_working_copy(user, record)
