"""Running the scheduler on a round table: the result replaces the unlocked meetings and keeps
every rule, locked meetings stay; the run is a job the page waits for; a rule broken by the
locked meetings is refused with nothing changed; after publication, a new run leaves the
published meetings where they are and writes to those whose agenda changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from huey.contrib.djhuey import HUEY

from clearinghouse.core.testing import World
from clearinghouse.events import schedules, scheduling
from clearinghouse.events.models import Event, Meeting
from clearinghouse.events.tests.schedule_scene import Scene, accepted, build_scene


def schedule_in_database(event: Event) -> scheduling.Schedule:
    """The meetings as they are stored, as the scheduler's checker reads a schedule."""
    meetings = tuple(
        scheduling.Meeting(meeting.request_id, meeting.slot_id, meeting.table_id)
        for meeting in Meeting.objects.filter(slot__event=event).select_related("request")
    )
    objective = sum(meeting.request.priority for meeting in Meeting.objects.filter(slot__event=event))
    return scheduling.Schedule(meetings=meetings, objective=objective, seconds=0.0)


def broken_rules(event: Event) -> list[str]:
    return scheduling.check(
        scheduling.parse_instance(schedules.instance_for(event)), schedule_in_database(event)
    )


def many_requests(scene: Scene) -> None:
    for seeker, provider, priority in [
        (scene.mei, scene.pierre, 3),
        (scene.mei, scene.akinyi, 2),
        (scene.ivan, scene.pierre, 3),
        (scene.salma, scene.pierre, 2),
        (scene.salma, scene.akinyi, 3),
    ]:
        accepted(seeker, provider, priority)


def test_the_schedule_keeps_every_rule_and_the_locked_meeting(world: World) -> None:
    scene = build_scene(world)
    first, second, third = scene.slots
    many_requests(scene)
    locked = Meeting.objects.create(
        request=accepted(scene.ivan, scene.akinyi, 1), slot=third, table=scene.tables[1], locked=True
    )
    schedules.set_availability(scene.mei, actor=world.learner, slots=[first, second], max_meetings=None)
    schedules.set_fixed_table(scene.pierre, scene.tables[0], actor=scene.organiser)

    outcome = schedules.build_schedule(scene.event, actor=scene.organiser, time_limit=5)

    assert broken_rules(scene.event) == []
    kept = Meeting.objects.get(pk=locked.pk)
    assert (kept.slot, kept.table, kept.locked) == (third, scene.tables[1], True)
    # Three slots and two tables hold the six requests: all are placed, the best there is.
    assert outcome.scheduled == Meeting.objects.filter(slot__event=scene.event).count() == 6
    assert outcome.objective == 14
    assert schedules.unplaced(scene.event) == []
    assert set(Meeting.objects.filter(request__invitee=scene.pierre).values_list("table", flat=True)) == {
        scene.tables[0].pk
    }


def test_a_new_run_replaces_the_unlocked_meetings(world: World) -> None:
    scene = build_scene(world)
    request = accepted(scene.mei, scene.pierre, 3)
    # A meeting in a slot Mei has since left: the run puts it where she is free.
    Meeting.objects.create(request=request, slot=scene.slots[0], table=scene.tables[0])
    scene.mei.available_slots.set([scene.slots[2]])
    schedules.build_schedule(scene.event, actor=scene.organiser, time_limit=5)
    assert list(Meeting.objects.filter(slot__event=scene.event).values_list("request", "slot")) == [
        (request.pk, scene.slots[2].pk)
    ]
    assert broken_rules(scene.event) == []


def test_locked_meetings_that_break_a_rule_are_named_and_nothing_changes(world: World) -> None:
    scene = build_scene(world)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0], locked=True
    )
    loose = Meeting.objects.create(
        request=accepted(scene.ivan, scene.akinyi), slot=scene.slots[1], table=scene.tables[0]
    )
    # As if her availability changed under the locked meeting (the services refuse to do it).
    scene.mei.available_slots.set([scene.slots[1]])
    with pytest.raises(ValidationError) as refused:
        schedules.build_schedule(scene.event, actor=scene.organiser, time_limit=5)
    assert "Mei Wang is no longer free at" in refused.value.messages[0]
    assert Meeting.objects.get(pk=loose.pk).slot == scene.slots[1]


def test_the_page_runs_the_scheduler_as_a_job_and_shows_how_it_ended(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    scene = build_scene(world)
    many_requests(scene)
    client.force_login(scene.organiser)
    url = f"/en/events/{scene.event.identifier}/schedule/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}build/")
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "The schedule is made: 5 meetings placed." in page
    assert "Mei Wang" in page and "Must meet" in page
    # Said once.
    assert "The schedule is made" not in client.get(url).content.decode()
    assert broken_rules(scene.event) == []


def test_while_the_scheduler_runs_the_page_says_so_and_refreshes(world: World, client: Client) -> None:
    scene = build_scene(world)
    accepted(scene.mei, scene.pierre)
    client.force_login(scene.organiser)
    with pytest.MonkeyPatch.context() as patch:
        # A worker that has not picked the job up yet.
        patch.setattr("clearinghouse.events.schedule_tasks.make_schedule", lambda *args: None)
        schedules.start_scheduling(scene.event, actor=scene.organiser, language="en")
    page = client.get(f"/en/events/{scene.event.identifier}/schedule/").content.decode()
    assert "Scheduling…" in page
    assert '<meta http-equiv="refresh"' in page
    with pytest.raises(ValidationError, match="being made already"):
        schedules.start_scheduling(scene.event, actor=scene.organiser, language="en")
    HUEY.storage.flush_all()


def test_a_refused_run_is_told_in_the_organiser_s_language(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    scene = build_scene(world)
    Meeting.objects.create(
        request=accepted(scene.mei, scene.pierre), slot=scene.slots[0], table=scene.tables[0], locked=True
    )
    scene.mei.available_slots.set([scene.slots[1]])
    client.force_login(scene.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fr/events/{scene.event.identifier}/schedule/build/")
    page = client.get(f"/fr/events/{scene.event.identifier}/schedule/").content.decode()
    assert "Mei Wang n’est plus disponible" in page


def test_after_publication_a_new_run_moves_no_published_meeting_and_writes_to_those_concerned(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    scene = build_scene(world, slots=4)
    many_requests(scene)
    schedules.build_schedule(scene.event, actor=scene.organiser, time_limit=5)
    with django_capture_on_commit_callbacks(execute=True):
        schedules.publish(scene.event, actor=scene.organiser)
    published = set(Meeting.objects.filter(slot__event=scene.event).values_list("request", "slot", "table"))
    mail.outbox.clear()

    # Late: a new accepted request, and Ivan is now free only in his meeting's slot and those
    # in which Akinyi has none.
    late = accepted(scene.ivan, scene.akinyi, 2)
    ivan_slot = Meeting.objects.get(request__requester=scene.ivan).slot
    akinyi_busy = set(Meeting.objects.filter(request__invitee=scene.akinyi).values_list("slot", flat=True))
    free = [slot for slot in scene.slots if slot == ivan_slot or slot.pk not in akinyi_busy]
    assert len(free) < len(scene.slots)
    schedules.set_availability(scene.ivan, actor=world.outsider, slots=free, max_meetings=None)
    client.force_login(scene.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/events/{scene.event.identifier}/schedule/build/", {"lock_published": "on"})

    now = set(Meeting.objects.filter(slot__event=scene.event).values_list("request", "slot", "table"))
    assert published <= now
    assert Meeting.objects.filter(request=late).exists()
    assert not Meeting.objects.filter(slot__event=scene.event, locked=False).exclude(request=late).exists()
    assert broken_rules(scene.event) == []
    # Only Ivan's and Akinyi's agendas changed: they are told, in their languages.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([scene.ivan.email, scene.akinyi.email])
    to_ivan = next(message for message in mail.outbox if message.to == [scene.ivan.email])
    assert "изменились" in to_ivan.subject


def test_a_participant_who_cancels_leaves_the_schedule_and_the_other_side_is_told(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    scene = build_scene(world)
    request = accepted(scene.mei, scene.pierre, 3)
    Meeting.objects.create(request=request, slot=scene.slots[0], table=scene.tables[0], locked=True)
    with django_capture_on_commit_callbacks(execute=True):
        schedules.publish(scene.event, actor=scene.organiser)
    mail.outbox.clear()
    scene.pierre.status = "cancelled"
    scene.pierre.save()
    with django_capture_on_commit_callbacks(execute=True):
        schedules.build_schedule(scene.event, actor=scene.organiser, time_limit=2)
    # Even locked, a meeting with someone who is no longer coming goes.
    assert not Meeting.objects.filter(request=request).exists()
    assert [message.to for message in mail.outbox] == [[scene.mei.email]]
