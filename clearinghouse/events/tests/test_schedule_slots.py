"""Slots and tables of a round table: made in the event's time zone, refused with a clear
message (and nothing saved) when outside the event, overlapping, or without length; tables by
number or name; a provider's table of their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events import schedules
from clearinghouse.events.models import Meeting, Slot, Table
from clearinghouse.events.tests.schedule_scene import Scene, accepted, build_scene, nairobi, round_table


def test_a_run_of_slots_is_made_in_the_event_s_time_zone(world: World) -> None:
    event = round_table(world)
    made = schedules.generate_slots(
        event,
        actor=world.authorised_user,
        starts_at=nairobi(10),
        ends_at=nairobi(11),
        length=timedelta(minutes=20),
        pause=timedelta(minutes=5),
    )
    # 10:00, 10:25 (ends 10:45), 10:50 would end 11:10: past the end.
    assert [(slot.starts_at, slot.ends_at) for slot in made] == [
        (nairobi(10), nairobi(10, 20)),
        (nairobi(10, 25), nairobi(10, 45)),
    ]
    # Nairobi is three hours ahead of UTC, where they are stored.
    assert Slot.objects.get(pk=made[0].pk).starts_at.hour == 7


def test_the_slots_page_makes_them_from_local_times_and_names_the_zone(world: World, client: Client) -> None:
    event = round_table(world)
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/events/{event.identifier}/schedule/slots/",
        {
            "action": "generate",
            "generate-day": "2026-12-10",
            "generate-start": "14:00",
            "generate-end": "15:00",
            "generate-length": "30",
            "generate-pause": "0",
        },
        follow=True,
    )
    assert "2 slots added." in response.content.decode()
    assert list(event.slots.values_list("starts_at", flat=True)) == [nairobi(14), nairobi(14, 30)]
    assert "Africa/Nairobi" in response.content.decode()


@pytest.mark.parametrize(
    ("start", "end", "length", "message"),
    [
        (nairobi(8), nairobi(10), 20, "falls outside the event"),
        (nairobi(16, 30), nairobi(17, 30), 20, "falls outside the event"),
        (nairobi(10), nairobi(11), 0, "at least one minute"),
        (nairobi(11), nairobi(10), 20, "The end comes before the start."),
        (nairobi(10), nairobi(10, 10), 20, "No meeting of 20 minutes fits"),
    ],
)
def test_bad_runs_of_slots_are_refused_and_none_is_made(
    world: World, start: object, end: object, length: int, message: str
) -> None:
    event = round_table(world)
    with pytest.raises(ValidationError) as refused:
        schedules.generate_slots(
            event,
            actor=world.authorised_user,
            starts_at=start,  # type: ignore[arg-type]
            ends_at=end,  # type: ignore[arg-type]
            length=timedelta(minutes=length),
            pause=timedelta(minutes=5),
        )
    assert message in " ".join(refused.value.messages)
    assert not event.slots.exists()


def test_a_run_overlapping_an_existing_slot_makes_none_of_its_slots(world: World) -> None:
    event = round_table(world)
    schedules.add_slot(event, actor=world.authorised_user, starts_at=nairobi(11), ends_at=nairobi(11, 30))
    with pytest.raises(ValidationError) as refused:
        schedules.generate_slots(
            event,
            actor=world.authorised_user,
            starts_at=nairobi(10),
            ends_at=nairobi(12),
            length=timedelta(minutes=20),
            pause=timedelta(minutes=5),
        )
    # Told in the event's time, with its zone, which slot is in the way.
    assert "overlaps the slot from" in refused.value.messages[0]
    assert "Africa/Nairobi" in refused.value.messages[0]
    assert event.slots.count() == 1


def test_bad_input_on_the_slots_page_is_shown_and_nothing_is_saved(world: World, client: Client) -> None:
    event = round_table(world)
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/events/{event.identifier}/schedule/slots/",
        {"action": "add_slot", "slot-day": "2026-12-11", "slot-start": "10:00", "slot-end": "10:20"},
        follow=True,
    )
    assert "falls outside the event" in response.content.decode()
    assert not event.slots.exists()


def test_a_slot_with_meetings_cannot_be_removed_and_an_empty_one_can(world: World, client: Client) -> None:
    scene = build_scene(world)
    first, second = scene.slots[0], scene.slots[1]
    request = accepted(scene.mei, scene.pierre)
    Meeting.objects.create(request=request, slot=first, table=scene.tables[0])
    client.force_login(scene.organiser)
    url = f"/en/events/{scene.event.identifier}/schedule/slots/"
    response = client.post(url, {"action": "remove_slot", "slot": first.pk}, follow=True)
    assert "has meetings: move or remove them first" in response.content.decode()
    assert Slot.objects.filter(pk=first.pk).exists()
    client.post(url, {"action": "remove_slot", "slot": second.pk})
    assert not Slot.objects.filter(pk=second.pk).exists()


def test_tables_come_by_number_or_by_name_and_names_are_not_repeated(world: World) -> None:
    event = round_table(world)
    schedules.add_tables(event, actor=world.authorised_user, count=2)
    schedules.add_tables(event, actor=world.authorised_user, names=["Baobab", " ", "Acacia"])
    assert list(event.tables.order_by("pk").values_list("name", flat=True)) == [
        "Table 1",
        "Table 2",
        "Baobab",
        "Acacia",
    ]
    with pytest.raises(ValidationError, match="There is a table named baobab already"):
        schedules.add_tables(event, actor=world.authorised_user, names=["Mango", "baobab"])
    assert not event.tables.filter(name="Mango").exists()
    with pytest.raises(ValidationError, match="Give a number of tables or their names"):
        schedules.add_tables(event, actor=world.authorised_user)


def test_a_table_with_meetings_stays(world: World) -> None:
    scene = build_scene(world)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0]
    )
    with pytest.raises(ValidationError, match="has meetings"):
        schedules.remove_table(scene.tables[0], actor=scene.organiser)
    assert Table.objects.filter(pk=scene.tables[0].pk).exists()


def test_only_organisers_change_slots_and_tables(world: World, client: Client) -> None:
    scene = build_scene(world)
    with pytest.raises(PermissionDenied):
        schedules.add_tables(scene.event, actor=world.trainer, count=1)
    client.force_login(world.trainer)
    assert client.get(f"/en/events/{scene.event.identifier}/schedule/slots/").status_code == 403
    assert client.get(f"/en/events/{scene.event.identifier}/schedule/").status_code == 403


def _fixed(scene: Scene) -> None:
    schedules.set_fixed_table(scene.pierre, scene.tables[0], actor=scene.organiser)


def test_the_organiser_gives_a_provider_a_table_no_one_else_keeps(world: World) -> None:
    scene = build_scene(world)
    _fixed(scene)
    scene.pierre.refresh_from_db()
    assert scene.pierre.fixed_table == scene.tables[0]
    with pytest.raises(ValidationError, match="Table 1 is kept by Pierre Lefèvre already"):
        schedules.set_fixed_table(scene.akinyi, scene.tables[0], actor=scene.organiser)
    scene.akinyi.refresh_from_db()
    assert scene.akinyi.fixed_table is None


def test_a_table_of_one_s_own_is_refused_while_one_meets_at_another(world: World) -> None:
    scene = build_scene(world)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[1]
    )
    with pytest.raises(ValidationError, match="has meetings at other tables"):
        _fixed(scene)
    scene.pierre.refresh_from_db()
    assert scene.pierre.fixed_table is None


def test_a_provider_asks_to_keep_a_table_and_gets_a_free_one(world: World, client: Client) -> None:
    scene = build_scene(world)
    _fixed(scene)
    client.force_login(world.partner_editor)  # Akinyi, a provider
    response = client.post(
        f"/en/events/{scene.event.identifier}/availability/", {"action": "keep_table"}, follow=True
    )
    assert "Table 2 is yours for all your meetings." in response.content.decode()
    scene.akinyi.refresh_from_db()
    assert scene.akinyi.fixed_table == scene.tables[1]
    # A seeker does not keep a table.
    with pytest.raises(ValidationError, match="Only those who offer support"):
        schedules.keep_table(scene.mei, actor=world.learner)
