"""Alumni: the beneficiaries of the platform's events and courses, kept with their consent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from clearinghouse.community.models import Alumnus


def mark_active(person: Any, when: datetime | None = None) -> None:
    """Note that an alumnus did something in the network (posted, replied, mentored, answered a
    follow-up): "active in the last 90 days" counts from this. Nothing for someone who is not an
    alumnus; one UPDATE, never a read first."""
    if person is None or not getattr(person, "pk", None):
        return
    Alumnus.objects.filter(person=person).update(last_active_at=when or timezone.now())
