"""What the scheduler is given: the accepted requests between confirmed participants, when each
is free (all slots until they say otherwise), their most meetings, their tables, and the
locked meetings; and how participants say when they are free."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.events import schedules, scheduling
from clearinghouse.events.models import Meeting, MeetingRequest, RegistrationStatus, RequestStatus, Side
from clearinghouse.events.tests.schedule_scene import accepted, build_scene, register


def test_the_instance_holds_only_accepted_requests_between_confirmed_participants(world: World) -> None:
    scene = build_scene(world)
    kept = accepted(scene.mei, scene.pierre, priority=3)
    MeetingRequest.objects.create(event=scene.event, requester=scene.ivan, invitee=scene.pierre)  # pending
    MeetingRequest.objects.create(
        event=scene.event, requester=scene.salma, invitee=scene.akinyi, status=RequestStatus.DECLINED
    )
    waiting = register(scene.event, "Omar Haddad", Side.SEEKER, status=RegistrationStatus.WAITLISTED)
    accepted(waiting, scene.akinyi)
    cancelled = register(scene.event, "Lena Berg", Side.PROVIDER, status=RegistrationStatus.CANCELLED)
    accepted(scene.ivan, cancelled)

    data = schedules.instance_for(scene.event)

    assert data["requests"] == [{"id": kept.pk, "a": scene.mei.pk, "b": scene.pierre.pk, "priority": 3}]
    assert {person["id"] for person in data["participants"]} == {
        scene.mei.pk,
        scene.ivan.pk,
        scene.salma.pk,
        scene.pierre.pk,
        scene.akinyi.pk,
    }
    assert [slot["id"] for slot in data["slots"]] == [slot.pk for slot in scene.slots]
    assert [table["id"] for table in data["tables"]] == [table.pk for table in scene.tables]
    assert data["locked"] == []
    # The scheduler reads it as it is.
    assert len(scheduling.parse_instance(data).requests) == 1


def test_the_instance_carries_availability_maximum_table_and_locked_meetings(world: World) -> None:
    scene = build_scene(world)
    first, second, third = scene.slots
    schedules.set_availability(scene.mei, actor=world.learner, slots=[second, third], max_meetings=1)
    schedules.set_fixed_table(scene.pierre, scene.tables[1], actor=scene.organiser)
    locked_request = accepted(scene.mei, scene.pierre)
    loose_request = accepted(scene.ivan, scene.akinyi)
    Meeting.objects.create(request=locked_request, slot=second, table=scene.tables[1], locked=True)
    Meeting.objects.create(request=loose_request, slot=first, table=scene.tables[0])

    people = {person["id"]: person for person in schedules.instance_for(scene.event)["participants"]}
    data = schedules.instance_for(scene.event)

    assert people[scene.mei.pk] == {
        "id": scene.mei.pk,
        "role": "seeker",
        "available": [second.pk, third.pk],
        "max_meetings": 1,
    }
    # Ivan never said: free in every slot, and as many meetings as there are slots.
    assert people[scene.ivan.pk]["available"] == [first.pk, second.pk, third.pk]
    assert people[scene.ivan.pk]["max_meetings"] == 3
    assert people[scene.pierre.pk]["role"] == "provider"
    assert people[scene.pierre.pk]["fixed_table"] == scene.tables[1].pk
    # Only the locked meeting binds the scheduler; the other is its to move.
    assert data["locked"] == [{"request": locked_request.pk, "slot": second.pk, "table": scene.tables[1].pk}]


def test_a_participant_ticks_the_slots_they_are_free_in(world: World, client: Client) -> None:
    scene = build_scene(world)
    first, _second, third = scene.slots
    client.force_login(world.learner)
    url = f"/zh/events/{scene.event.identifier}/availability/"
    page = client.get(url).content.decode()
    # Every slot ticked until they say otherwise, with the event's time zone named.
    assert page.count("checked") == 3
    assert "Africa/Nairobi" in page
    response = client.post(url, {"slots": [first.pk, third.pk], "max_meetings": "2"})
    assert response.status_code == 302
    scene.mei.refresh_from_db()
    assert set(scene.mei.available_slots.all()) == {first, third}
    assert scene.mei.max_meetings == 2
    assert client.get(url).content.decode().count("checked") == 2


def test_ticking_no_slot_is_refused_and_changes_nothing(world: World, client: Client) -> None:
    scene = build_scene(world)
    schedules.set_availability(scene.mei, actor=world.learner, slots=[scene.slots[0]], max_meetings=None)
    client.force_login(world.learner)
    response = client.post(f"/en/events/{scene.event.identifier}/availability/", {"max_meetings": "4"})
    assert response.status_code == 400
    assert "Tick at least one slot" in response.content.decode()
    scene.mei.refresh_from_db()
    assert list(scene.mei.available_slots.all()) == [scene.slots[0]]
    assert scene.mei.max_meetings is None


def test_a_locked_meeting_holds_its_slot_and_the_maximum(world: World) -> None:
    scene = build_scene(world)
    first, second, _third = scene.slots
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=first, table=scene.tables[0], locked=True
    )
    Meeting.objects.create(
        request=accepted(scene.mei, scene.akinyi), slot=second, table=scene.tables[0], locked=True
    )
    with pytest.raises(ValidationError, match="ask the organisers to move it"):
        schedules.set_availability(scene.mei, actor=world.learner, slots=[second], max_meetings=None)
    with pytest.raises(ValidationError, match="You have 2 confirmed meetings already"):
        schedules.set_availability(scene.mei, actor=world.learner, slots=[first, second], max_meetings=1)
    scene.mei.refresh_from_db()
    assert not scene.mei.available_slots.exists()
    assert scene.mei.max_meetings is None


def test_only_confirmed_participants_say_when_they_are_free(world: World, client: Client) -> None:
    scene = build_scene(world)
    client.force_login(world.helpdesk_agent)
    assert client.get(f"/en/events/{scene.event.identifier}/availability/").status_code == 403
    client.logout()
    response = client.get(f"/en/events/{scene.event.identifier}/availability/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
