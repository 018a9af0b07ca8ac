"""Who may change a support record: the house rule (records.draft, see docs/permissions.md),
asked about the record itself so that the expert a profile is about edits and submits it
whatever their role. Publishing stays with the reviewers; who may see what is
publishing/access.py's rule, the same on every page."""

from __future__ import annotations

from typing import Any

from clearinghouse.publishing import origins
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.owners import registers_records


def can_edit(user: Any, record: Record) -> bool:
    """Save drafts, add language versions, confirm the record is accurate. Never a record kept
    by another clearing-house (publishing/origins.py)."""
    return bool(user.has_perm("records.draft", record)) and origins.origin(record) is None


def has_expert_profile(user: Any) -> bool:
    """Whether an expert profile is about this person (read once per request: the header asks
    it for several places)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached: bool | None = getattr(user, "_has_expert_profile", None)
    if cached is None:
        from clearinghouse.support.models import Expert

        cached = Expert.objects.filter(expert_user=user).exists()
        user._has_expert_profile = cached
    return cached


def keeps_support_records(user: Any) -> bool:
    """Whether "My support records" has anything for the person: they register records for a
    Party or an organisation, or an expert profile is about them."""
    return registers_records(user) or has_expert_profile(user)
