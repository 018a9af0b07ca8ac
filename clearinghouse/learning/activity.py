"""The log of what learners do. Every learning event is recorded here as it happens, in the
same transaction as the change it reports; xapi.py turns each row into an xAPI statement and
the worker sends it on to a learning record store when a deployment sets one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone

from clearinghouse.learning.models import Activity, Enrolment, Verb


def happened(
    enrolment: Enrolment,
    verb: Verb,
    object_key: str = "",
    *,
    result: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> Activity:
    return Activity.objects.create(
        enrolment=enrolment,
        verb=verb,
        object_key=object_key,
        result=dict(result or {}),
        language=enrolment.language,
        timestamp=at or timezone.now(),
    )
