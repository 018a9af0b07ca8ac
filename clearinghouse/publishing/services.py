"""Reports on records, draft share links and comments: the workflow's companions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import User
from clearinghouse.core.text import trimmed
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import DraftComment, Record, RecordReport, Revision, ShareLink


class SaveDraft(Protocol):
    """How a registry saves new values as a draft revision (``workflow.save_draft`` by default)."""

    def __call__(
        self,
        record: Any,
        *,
        actor: User | None,
        values: Mapping[str, Any],
        base_revision: int | None,
        note: str = "",
    ) -> Revision: ...


def translate(
    record: Record,
    *,
    actor: User | None,
    language: str,
    texts: Mapping[str, str],
    base_revision: int | None,
    save: SaveDraft = workflow.save_draft,
) -> Revision:
    """Add or change the record's texts in one more language, as a draft revision; an empty
    text takes that language's text away."""
    working, _many = workflow.working_copy(record)
    values = {}
    for name, text in texts.items():
        current = dict(getattr(working, name) or {})
        if trimmed(text):
            current[language] = trimmed(text)
        else:
            current.pop(language, None)
        values[name] = current
    return save(
        record,
        actor=actor,
        values=values,
        base_revision=base_revision,
        note=_("Translation: %(language)s") % {"language": language},
    )


def report(*, actor: User, record: Record, reason: str, comment: str) -> RecordReport:
    if not record.live:
        raise ValidationError(_("Only public records can be reported."), code="not_public")
    entry = RecordReport(
        identifier=record.identifier, reason=reason, comment=comment.strip(), reported_by=actor
    )
    entry.full_clean()
    entry.save()
    return entry


def can_triage(user: User, record: Record | None) -> bool:
    """Reports go to the record's reviewers and to the Secretariat."""
    if roles.is_secretariat(user):
        return True
    return record is not None and user.has_perm("records.review", record.owner)


def resolve_report(*, actor: User, entry: RecordReport, record: Record | None, resolution: str) -> None:
    if not can_triage(actor, record):
        raise PermissionDenied(_("Only the record's reviewers and the Secretariat handle its reports."))
    if entry.resolved_at is not None:
        raise ValidationError(_("This report has already been handled."), code="resolved")
    entry.resolved_by, entry.resolved_at, entry.resolution = actor, timezone.now(), resolution.strip()
    entry.save(update_fields=["resolved_by", "resolved_at", "resolution"])


def share(*, actor: User, record: Record, days: int) -> ShareLink:
    if not actor.has_perm("records.draft", record):
        raise PermissionDenied(_("Only the record's authors can share its draft."))
    return ShareLink.objects.create(
        identifier=record.identifier, created_by=actor, expires_at=timezone.now() + timedelta(days=days)
    )


def revoke(*, actor: User, link: ShareLink, record: Record) -> None:
    if not actor.has_perm("records.draft", record):
        raise PermissionDenied(_("Only the record's authors can withdraw its share links."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def open_link(token: str) -> ShareLink:
    link = ShareLink.objects.filter(token=token).first()
    if link is None or not link.is_open:
        raise ValidationError(_("This link has expired or was withdrawn."), code="closed")
    return link


@transaction.atomic
def comment_on_draft(*, token: str, record: Record, name: str, comment: str) -> DraftComment:
    link = open_link(token)
    return DraftComment.objects.create(
        link=link, revision_number=record.revision_number, name=name.strip(), comment=comment.strip()
    )


def comments(record: Record) -> list[DraftComment]:
    return list(DraftComment.objects.filter(link__identifier=record.identifier).order_by("-created_at"))
