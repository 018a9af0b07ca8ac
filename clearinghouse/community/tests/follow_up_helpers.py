"""Alumni and their participations, built directly (the alumni area records them on check-in
and course completion), for the follow-up's tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from clearinghouse.community.models import Activity, Alumnus, Consent, Participation
from clearinghouse.events.models import Event
from clearinghouse.learning.models import Course


def alumnus(
    name: str,
    *,
    person: Any = None,
    language: str = "en",
    consent: str = Consent.GIVEN,
    country: Any = None,
) -> Alumnus:
    email = person.email if person is not None else f"{name.lower().replace(' ', '.')}@example.org"
    return Alumnus.objects.create(
        name=name,
        email=email,
        person=person,
        language=language,
        consent=consent,
        consent_changed_at=timezone.now() if consent != Consent.ASKED else None,
        country=country,
    )


def took_part(who: Alumnus, activity: Event | Course, on: date) -> Participation:
    if isinstance(activity, Event):
        return Participation.objects.create(
            alumnus=who, activity=Activity.EVENT, event=activity, took_part_on=on
        )
    return Participation.objects.create(
        alumnus=who, activity=Activity.COURSE, course=activity, took_part_on=on
    )
