"""Alumni for the tests, made as people become alumni: a participant checked in at a past Kenyan
workshop (through the events' check-in service), and the receivers run on commit."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clearinghouse.community import alumni
from clearinghouse.community.models import Alumnus
from clearinghouse.core.testing import World
from clearinghouse.events import attendance
from clearinghouse.events.models import Event
from clearinghouse.events.tests.attendance_factories import make_event, register


def attended(world: World, event: Event | None = None, *, person: Any = None, **values: Any) -> Alumnus:
    """An alumnus who checked in at ``event`` (a past workshop by default)."""
    event = event or make_event(world, past=True)
    name = values.pop("name", person.get_full_name() if person else "Grace Wanjiku")
    if person is not None:
        values.setdefault("email", person.email)
    registration = register(event, name, person=person, **values)
    attendance.check_in(registration, actor=world.focal_point)
    registration.refresh_from_db()
    alumni.record_registration(registration, notify=False)
    return Alumnus.objects.get(participations__registration=registration)


def listed(world: World, person: Any, **flags: Any) -> Alumnus:
    """An alumnus with an account who consented and chose to be listed with ``flags``."""
    alumnus = alumni.give_consent(attended(world, person=person), at=timezone.now())
    return alumni.update_profile(alumnus, {"in_directory": True} | flags)
