"""A round table for the schedule's tests: one day in Nairobi, its organiser (Kenya's
authorised user), and confirmed participants on both sides who speak different languages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import World
from clearinghouse.events import schedules
from clearinghouse.events.models import (
    Event,
    EventKind,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Side,
    Slot,
    Table,
)

NAIROBI = ZoneInfo("Africa/Nairobi")


def nairobi(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=NAIROBI)


def round_table(world: World, identifier: str = "CB-EVENT-KE-000001") -> Event:
    return Event.objects.create(
        identifier=identifier,
        owner_country=world.kenya,
        original_language="en",
        title={"en": "Round table on invasive species", "fr": "Table ronde sur les espèces envahissantes"},
        kind=EventKind.ROUND_TABLE,
        starts_at=nairobi(9),
        ends_at=nairobi(17),
        time_zone="Africa/Nairobi",
        venue="Gigiri",
        city="Nairobi",
        state="published",
        live=True,
    )


def register(
    event: Event,
    name: str,
    side: str,
    *,
    person: User | None = None,
    language: str = "en",
    status: str = RegistrationStatus.CONFIRMED,
) -> Registration:
    return Registration.objects.create(
        event=event,
        person=person,
        name=name,
        email=person.email if person else f"{name.lower().replace(' ', '.')}@example.org",
        language=language,
        status=status,
        side=side,
    )


def accepted(a: Registration, b: Registration, priority: int = 2, about: str = "") -> MeetingRequest:
    return MeetingRequest.objects.create(
        event=a.event, requester=a, invitee=b, priority=priority, about=about, status=RequestStatus.ACCEPTED
    )


@dataclass
class Scene:
    world: World
    event: Event
    organiser: User
    slots: list[Slot]
    tables: list[Table]
    # Seekers: Mei (Chinese, an account), Ivan (Russian, an account), Salma (Arabic, no account).
    mei: Registration
    ivan: Registration
    salma: Registration
    # Providers: Pierre (French, an account), Akinyi (English, an account).
    pierre: Registration
    akinyi: Registration


def build_scene(world: World, *, slots: int = 3, tables: int = 2) -> Scene:
    event = round_table(world)
    organiser = world.authorised_user
    made = schedules.generate_slots(
        event,
        actor=organiser,
        starts_at=nairobi(10),
        ends_at=nairobi(10) + timedelta(minutes=25 * slots),
        length=timedelta(minutes=20),
        pause=timedelta(minutes=5),
    )
    made_tables = schedules.add_tables(event, actor=organiser, count=tables)
    return Scene(
        world=world,
        event=event,
        organiser=organiser,
        slots=made,
        tables=made_tables,
        mei=register(event, "Mei Wang", Side.SEEKER, person=world.learner, language="zh-hans"),
        ivan=register(event, "Ivan Petrov", Side.SEEKER, person=world.outsider, language="ru"),
        salma=register(event, "Salma Idris", Side.SEEKER, language="ar"),
        pierre=register(event, "Pierre Lefèvre", Side.PROVIDER, person=world.trainer, language="fr"),
        akinyi=register(event, "Akinyi Njeri", Side.PROVIDER, person=world.partner_editor),
    )
