"""publishing's part of a person's data (accounts.personal_data): the revisions they saved,
submitted or reviewed, the reports they made and the share links they created."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from clearinghouse.accounts import personal_data
from clearinghouse.accounts.models import User
from clearinghouse.publishing.models import RecordReport, Revision, ShareLink


def revisions(user: User) -> list[Any]:
    found = Revision.objects.filter(Q(created_by=user) | Q(submitted_by=user) | Q(reviewed_by=user))
    return [
        {
            "record_type": revision.content_type.model,
            "record_id": revision.object_id,
            "revision": revision.number,
            "status": revision.status,
            "saved_at": revision.created_at,
            "saved_by_you": revision.created_by_id == user.pk,
            "submitted_by_you": revision.submitted_by_id == user.pk,
            "reviewed_by_you": revision.reviewed_by_id == user.pk,
            "review_comment": revision.review_comment if revision.reviewed_by_id == user.pk else "",
        }
        for revision in found.select_related("content_type").order_by("created_at", "pk")
    ]


def reports(user: User) -> list[Any]:
    return list(
        RecordReport.objects.filter(reported_by=user).values("identifier", "reason", "comment", "reported_at")
    )


def share_links(user: User) -> list[Any]:
    return list(
        ShareLink.objects.filter(created_by=user).values(
            "identifier", "created_at", "expires_at", "revoked_at"
        )
    )


def register() -> None:
    personal_data.register("record_revisions", revisions)
    personal_data.register("record_reports", reports)
    personal_data.register("share_links", share_links)
