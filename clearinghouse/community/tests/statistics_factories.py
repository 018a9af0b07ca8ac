"""Rows for the statistics, measures and personal-data tests, made directly from the models:
the services that fill them belong to other parts of the app."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from typing import Any

from django.utils import timezone

from clearinghouse.accounts.models import User
from clearinghouse.community.models import (
    Activity,
    Alumnus,
    Community,
    Consent,
    Membership,
    Participation,
    Post,
    Topic,
)
from clearinghouse.core.testing import World
from clearinghouse.events.models import Event

_numbers = count(1)


def alumnus(name: str, *, person: User | None = None, consent: str = Consent.GIVEN, **values: Any) -> Alumnus:
    email = values.pop("email", f"{name.lower().replace(' ', '.')}@example.org")
    changed = timezone.now() if consent in (Consent.GIVEN, Consent.WITHDRAWN) else None
    return Alumnus.objects.create(
        name=name, email=email, person=person, consent=consent, consent_changed_at=changed, **values
    )


def took_part(who: Alumnus, event: Event, on: date, **values: Any) -> Participation:
    return Participation.objects.create(
        alumnus=who, activity=Activity.EVENT, event=event, took_part_on=on, **values
    )


def community(world: World, *, live: bool = True, **values: Any) -> Community:
    number = next(_numbers)
    defaults: dict[str, Any] = {
        "identifier": f"CB-COP-KE-{number:06d}",
        "owner_country": world.kenya,
        "original_language": "en",
        "name": {"en": f"Invasive species practitioners {number}"},
        "description": {"en": "Managing invasive alien species in East Africa."},
        "state": "published" if live else "draft",
        "live": live,
    }
    return Community.objects.create(**(defaults | values))


def member(where: Community, person: User, **values: Any) -> Membership:
    return Membership.objects.create(community=where, person=person, **values)


def post(
    where: Topic | Community, author: User | None, at: datetime, body: str = "A message.", **values: Any
) -> Post:
    """A post dated ``at``; given a community, it opens a new topic."""
    if isinstance(where, Community):
        where = Topic.objects.create(
            community=where, title="Early detection", author=author, last_posted_at=at
        )
    made = Post.objects.create(topic=where, author=author, body=body, **values)
    Post.objects.filter(pk=made.pk).update(created_at=at)
    made.created_at = at
    return made
