"""The organisers' review: moving a meeting only where every rule holds (each conflict refused
with nothing changed), locking and removing, why accepted requests were not placed, and
publication with each participant's agenda in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events import schedules
from clearinghouse.events.models import Meeting
from clearinghouse.events.tests.schedule_scene import Scene, accepted, build_scene


def _two_meetings(scene: Scene) -> tuple[Meeting, Meeting]:
    """Mei meets Pierre in the first slot at table 1; Ivan meets Akinyi in the second at table 2."""
    first = Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre, 3), slot=scene.slots[0], table=scene.tables[0]
    )
    second = Meeting.objects.create(
        request=accepted(scene.ivan, scene.akinyi, 2), slot=scene.slots[1], table=scene.tables[1]
    )
    return first, second


def _place(meeting: Meeting) -> tuple[int, int, bool]:
    meeting.refresh_from_db()
    return meeting.slot_id, meeting.table_id, meeting.locked


def test_a_meeting_moves_where_everyone_is_free_and_is_locked_there(world: World, client: Client) -> None:
    scene = build_scene(world)
    first, _second = _two_meetings(scene)
    client.force_login(scene.organiser)
    url = f"/en/events/{scene.event.identifier}/schedule/meetings/{first.pk}/move/"
    assert "Mei Wang and Pierre Lefèvre" in client.get(url).content.decode()
    response = client.post(url, {"slot": scene.slots[2].pk, "table": scene.tables[1].pk})
    assert response.status_code == 302
    assert _place(first) == (scene.slots[2].pk, scene.tables[1].pk, True)


@pytest.mark.parametrize(
    ("conflict", "message"),
    [
        ("table", "Table 2 is taken at"),
        ("person", "Akinyi Njeri has another meeting at"),
        ("availability", "Mei Wang is not available at"),
        ("fixed", "Pierre Lefèvre keeps a table of their own"),
    ],
)
def test_each_conflict_refuses_the_move_and_changes_nothing(
    world: World, client: Client, conflict: str, message: str
) -> None:
    scene = build_scene(world)
    first, second = _two_meetings(scene)
    target_slot, target_table = scene.slots[2], scene.tables[0]
    moving = first
    if conflict == "table":
        target_slot, target_table = scene.slots[1], scene.tables[1]
    elif conflict == "person":
        # Akinyi meets Ivan in the second slot; a meeting of hers with Salma cannot join it.
        moving = Meeting.objects.create(
            request=accepted(scene.salma, scene.akinyi), slot=scene.slots[2], table=scene.tables[1]
        )
        target_slot, target_table = scene.slots[1], scene.tables[0]
    elif conflict == "availability":
        scene.mei.available_slots.set([scene.slots[0], scene.slots[1]])
    elif conflict == "fixed":
        schedules.set_fixed_table(scene.pierre, scene.tables[0], actor=scene.organiser)
        target_table = scene.tables[1]
    before = {meeting.pk: _place(meeting) for meeting in Meeting.objects.all()}
    client.force_login(scene.organiser)
    response = client.post(
        f"/en/events/{scene.event.identifier}/schedule/meetings/{moving.pk}/move/",
        {"slot": target_slot.pk, "table": target_table.pk},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert {meeting.pk: _place(meeting) for meeting in Meeting.objects.all()} == before
    assert second.pk in before


def test_lock_unlock_and_remove(world: World, client: Client) -> None:
    scene = build_scene(world)
    first, _second = _two_meetings(scene)
    client.force_login(scene.organiser)
    url = f"/en/events/{scene.event.identifier}/schedule/meetings/{first.pk}/"
    client.post(url, {"action": "lock"})
    assert _place(first)[2] is True
    client.post(url, {"action": "unlock"})
    assert _place(first)[2] is False
    client.post(url, {"action": "remove"})
    assert not Meeting.objects.filter(pk=first.pk).exists()
    # Its request waits to be placed again.
    assert [item.request.pk for item in schedules.unplaced(scene.event)] == [first.request_id]


def test_the_reasons_requests_were_not_placed(world: World) -> None:
    scene = build_scene(world, slots=2, tables=1)
    first, second = scene.slots
    scene.mei.available_slots.set([first])
    scene.salma.available_slots.set([second])
    no_common = accepted(scene.mei, scene.salma)
    scene.pierre.fixed_table = scene.tables[0]
    scene.pierre.save()
    other_table = schedules.add_tables(scene.event, actor=scene.organiser, names=["Baobab"])[0]
    scene.akinyi.fixed_table = other_table
    scene.akinyi.save()
    clash = accepted(scene.pierre, scene.akinyi)
    scene.ivan.max_meetings = 1
    scene.ivan.save()
    Meeting.objects.create(request=accepted(scene.ivan, scene.pierre), slot=first, table=scene.tables[0])
    full = accepted(scene.ivan, scene.akinyi)
    # Table 1 and Baobab are taken in both slots: Mei and Akinyi find no room.
    Meeting.objects.create(request=accepted(scene.salma, scene.akinyi), slot=second, table=other_table)
    Meeting.objects.create(request=accepted(scene.mei, scene.pierre), slot=second, table=scene.tables[0])
    no_room = accepted(scene.mei, scene.akinyi, 1)
    reasons = {item.request.pk: item.reason for item in schedules.unplaced(scene.event)}
    assert reasons == {
        no_common.pk: "No slot in which both are free.",
        clash.pk: "Both keep a table of their own: two different tables.",
        full.pk: "One of them has reached their most meetings.",
        no_room.pk: "No room: in the slots both are free, one of them or every table is taken.",
    }


def test_publishing_sends_each_participant_their_agenda_in_their_language(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    scene = build_scene(world)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0]
    )
    Meeting.objects.create(
        request=accepted(scene.salma, scene.akinyi), slot=scene.slots[0], table=scene.tables[1]
    )
    client.force_login(scene.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/{scene.event.identifier}/schedule/publish/", follow=True)
    assert "4 participants get their agenda by e-mail" in response.content.decode()
    scene.event.refresh_from_db()
    assert scene.event.schedule_published_at is not None
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    # Ivan has no meeting: no agenda.
    assert set(subjects) == {scene.mei.email, scene.pierre.email, scene.salma.email, scene.akinyi.email}
    assert subjects[scene.akinyi.email] == "Your meetings at Round table on invasive species"
    # Pierre reads French (his account), and the event's French title.
    assert subjects[scene.pierre.email] == "Vos rendez-vous à Table ronde sur les espèces envahissantes"
    assert "您在" in subjects[scene.mei.email]
    assert "اجتماعاتك" in subjects[scene.salma.email]
    to_mei = next(message for message in mail.outbox if message.to == [scene.mei.email]).body
    assert "Pierre Lefèvre" in to_mei and "Africa/Nairobi" in to_mei
    assert f"/zh/events/{scene.event.identifier}/agenda/{scene.mei.pk}/" in to_mei


def test_an_empty_or_published_schedule_is_not_published_again(world: World) -> None:
    scene = build_scene(world)
    with pytest.raises(ValidationError, match="There is no meeting to publish"):
        schedules.publish(scene.event, actor=scene.organiser)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0]
    )
    schedules.publish(scene.event, actor=scene.organiser)
    with pytest.raises(ValidationError, match="published already"):
        schedules.publish(scene.event, actor=scene.organiser)


def test_after_publication_a_moved_meeting_is_told_to_both_people(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    scene = build_scene(world)
    first, second = _two_meetings(scene)
    with django_capture_on_commit_callbacks(execute=True):
        schedules.publish(scene.event, actor=scene.organiser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedules.move_meeting(first, slot=scene.slots[2], table=scene.tables[0], actor=scene.organiser)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([scene.mei.email, scene.pierre.email])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedules.remove_meeting(second, actor=scene.organiser)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([scene.ivan.email, scene.akinyi.email])
    # Ivan has no meeting left: his agenda says so.
    to_ivan = next(message for message in mail.outbox if message.to == [scene.ivan.email])
    assert "У вас нет назначенных встреч." in to_ivan.body
