from __future__ import annotations

from typing import Any

from django.utils import timezone

from clearinghouse.needs.models import Need, NeedStatusChange


def first_status(sender: type[Need], record: Need, **kwargs: Any) -> None:
    """A need is open from the day it is first published: the first dated status change."""
    if not record.status_changes.exists():
        NeedStatusChange.objects.create(
            need=record, status=record.status, changed_at=record.first_published_at or timezone.now()
        )
