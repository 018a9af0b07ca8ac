"""Events and registrations for the attendance tests, made directly (the registration services
are tested on their own): a Kenyan workshop organised by Kenya (its authorised user organises
it), and confirmed participants."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events.models import Event, EventKind, Registration, RegistrationStatus

_numbers = count(1)
NAIROBI = ZoneInfo("Africa/Nairobi")


def make_event(world: World, *, past: bool = False, **values: Any) -> Event:
    number = next(_numbers)
    # 09:00 in Nairobi, so that times of the day written in a list fall on the first day.
    today = timezone.localdate(timezone=NAIROBI)
    day = today - timedelta(days=3) if past else today + timedelta(days=1)
    starts = datetime.combine(day, time(9, 0), tzinfo=NAIROBI)
    defaults: dict[str, Any] = {
        "identifier": f"CB-EVENT-KE-{number:06d}",
        "owner_country": world.kenya,
        "original_language": "en",
        "title": {
            "en": f"Workshop on invasive species {number}",
            "ar": f"ورشة عمل حول الأنواع الغازية {number}",
        },
        "kind": EventKind.WORKSHOP,
        "starts_at": starts,
        "ends_at": starts + timedelta(days=2),
        "time_zone": "Africa/Nairobi",
        "venue": "KEFRI",
        "city": "Nairobi",
        "venue_country": world.kenya,
        "state": "published",
        "live": True,
    }
    return Event.objects.create(**(defaults | values))


def register(
    event: Event,
    name: str,
    *,
    status: str = RegistrationStatus.CONFIRMED,
    checked_in_at: datetime | None = None,
    **values: Any,
) -> Registration:
    email = values.pop("email", f"{name.lower().replace(' ', '.')}@example.org")
    return Registration.objects.create(
        event=event, name=name, email=email, status=status, checked_in_at=checked_in_at, **values
    )
