"""Who may change a support record: the house rule (records.draft, see docs/permissions.md),
asked about the record itself so that the expert a profile is about edits and submits it
whatever their role. Publishing stays with the reviewers; who may see what is
publishing/access.py's rule, the same on every page."""

from __future__ import annotations

from typing import Any

from clearinghouse.publishing.models import Record


def can_edit(user: Any, record: Record) -> bool:
    """Save drafts, add language versions, confirm the record is accurate."""
    return bool(user.has_perm("records.draft", record))
