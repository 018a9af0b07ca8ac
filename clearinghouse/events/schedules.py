"""A round table's schedule: its slots and tables, when each participant is free, the scheduler
run as a job, the organiser's review (lock, move, remove), publication with the personal
agendas, and late changes after publication.

The rules a schedule keeps are the scheduler's (``scheduling``): both people available in the
slot, nobody over their maximum, one meeting per person and per table in a slot, fixed tables,
locked meetings where they are. What the organiser changes by hand is checked against the same
rules here, with the people's names and the event's local times in the messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from huey.contrib.djhuey import HUEY

from clearinghouse.events import permissions, scheduling
from clearinghouse.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Side,
    Slot,
    Table,
)
from clearinghouse.events.schedule_agendas import local_time, meetings_of, send

# A run not finished after this long is taken as lost (the worker stopped): it may start again.
RUN_LOST_AFTER = timedelta(minutes=10)
# Bounds on one generation or one batch of tables: a typing slip must not make thousands.
MOST_AT_ONCE = 200


# --- small helpers -------------------------------------------------------------------------------


def _require_organiser(actor: Any, event: Event) -> None:
    if not permissions.is_organiser(actor, event):
        raise PermissionDenied(_("Only the event's organisers manage its schedule."))


def _require_round_table(event: Event) -> None:
    if not event.is_round_table:
        raise ValidationError(_("Only a round table has meeting slots and tables."))


def _lock_event(event: Event) -> Event:
    """Changes to one round table's schedule wait for each other (rows locked until commit)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def confirmed(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)


def participant_of(user: Any, event: Event) -> Registration | None:
    """The person's confirmed registration at the event, if they take part."""
    if not getattr(user, "is_authenticated", False):
        return None
    return confirmed(event).filter(person=user).first()


# --- slots -----------------------------------------------------------------------------------------


def _check_slot(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("A slot must end after it starts."))
    if event.starts_at is None or event.ends_at is None:
        raise ValidationError(_("Give the event's start and end first: slots must fall within them."))
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(
            _("The slot from %(start)s to %(end)s falls outside the event (%(first)s to %(last)s).")
            % {
                "start": local_time(event, starts_at),
                "end": local_time(event, ends_at),
                "first": local_time(event, event.starts_at),
                "last": local_time(event, event.ends_at),
            }
        )
    overlapping = event.slots.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if overlapping is not None:
        raise ValidationError(
            _("The slot from %(start)s overlaps the slot from %(other)s to %(other_end)s.")
            % {
                "start": local_time(event, starts_at),
                "other": local_time(event, overlapping.starts_at),
                "other_end": local_time(event, overlapping.ends_at),
            }
        )


def generate_slots(
    event: Event, *, actor: Any, starts_at: datetime, ends_at: datetime, length: timedelta, pause: timedelta
) -> list[Slot]:
    """Slots of ``length`` one after the other from ``starts_at`` until ``ends_at``, with a
    break of ``pause`` between them. All or none are made."""
    _require_organiser(actor, event)
    _require_round_table(event)
    if length < timedelta(minutes=1):
        raise ValidationError(_("A meeting must last at least one minute."))
    if pause < timedelta(0):
        raise ValidationError(_("The break between meetings cannot be negative."))
    if ends_at <= starts_at:
        raise ValidationError(_("The end comes before the start."))
    times: list[tuple[datetime, datetime]] = []
    start = starts_at.astimezone(UTC)
    end = ends_at.astimezone(UTC)
    while start + length <= end:
        times.append((start, start + length))
        start += length + pause
        if len(times) > MOST_AT_ONCE:
            raise ValidationError(
                _("That makes more than %(most)s slots: make them in several steps.") % {"most": MOST_AT_ONCE}
            )
    if not times:
        minutes = int(length.total_seconds() // 60)
        raise ValidationError(
            ngettext(
                "No meeting of %(minutes)s minute fits between the start and the end.",
                "No meeting of %(minutes)s minutes fits between the start and the end.",
                minutes,
            )
            % {"minutes": minutes}
        )
    with transaction.atomic():
        event = _lock_event(event)
        for slot_start, slot_end in times:
            _check_slot(event, slot_start, slot_end)
        return Slot.objects.bulk_create(
            [Slot(event=event, starts_at=slot_start, ends_at=slot_end) for slot_start, slot_end in times]
        )


def add_slot(event: Event, *, actor: Any, starts_at: datetime, ends_at: datetime) -> Slot:
    _require_organiser(actor, event)
    _require_round_table(event)
    with transaction.atomic():
        event = _lock_event(event)
        _check_slot(event, starts_at, ends_at)
        return Slot.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)


def remove_slot(slot: Slot, *, actor: Any) -> None:
    event = slot.event
    _require_organiser(actor, event)
    with transaction.atomic():
        _lock_event(event)
        if slot.meetings.exists():
            raise ValidationError(
                _("The slot at %(time)s has meetings: move or remove them first.")
                % {"time": local_time(event, slot.starts_at)}
            )
        slot.delete()


# --- tables ----------------------------------------------------------------------------------------


def add_tables(event: Event, *, actor: Any, count: int = 0, names: Iterable[str] = ()) -> list[Table]:
    """``count`` tables numbered after those there are, and tables with the ``names`` given."""
    _require_organiser(actor, event)
    _require_round_table(event)
    wanted = [name.strip() for name in names if name.strip()]
    if count < 0 or count + len(wanted) > MOST_AT_ONCE:
        raise ValidationError(_("Add between 1 and %(most)s tables at a time.") % {"most": MOST_AT_ONCE})
    if count == 0 and not wanted:
        raise ValidationError(_("Give a number of tables or their names."))
    for name in wanted:
        if len(name) > 60:
            raise ValidationError(
                _("A table's name has at most 60 characters: %(name)s") % {"name": name[:60]}
            )
    with transaction.atomic():
        event = _lock_event(event)
        taken = {name.casefold() for name in event.tables.values_list("name", flat=True)}
        made: list[str] = []
        for name in wanted:
            if name.casefold() in taken:
                raise ValidationError(_("There is a table named %(name)s already.") % {"name": name})
            taken.add(name.casefold())
            made.append(name)
        number = event.tables.count()
        while count:
            number += 1
            name = _("Table %(number)s") % {"number": number}
            if name.casefold() not in taken:
                taken.add(name.casefold())
                made.append(name)
                count -= 1
        return Table.objects.bulk_create([Table(event=event, name=name) for name in made])


def remove_table(table: Table, *, actor: Any) -> None:
    event = table.event
    _require_organiser(actor, event)
    with transaction.atomic():
        _lock_event(event)
        if table.meetings.exists():
            raise ValidationError(
                _("%(table)s has meetings: move or remove them first.") % {"table": table.name}
            )
        table.delete()


def _check_fixed_table(registration: Registration, table: Table) -> None:
    if table.event_id != registration.event_id:
        raise ValidationError(_("That table belongs to another event."))
    keeper = confirmed(registration.event).filter(fixed_table=table).exclude(pk=registration.pk).first()
    if keeper is not None:
        raise ValidationError(
            _("%(table)s is kept by %(name)s already.") % {"table": table.name, "name": keeper.name}
        )
    elsewhere = (
        Meeting.objects.filter(meetings_of(registration)).exclude(table=table).select_related("table").first()
    )
    if elsewhere is not None:
        raise ValidationError(
            _("%(name)s has meetings at other tables (%(table)s): move or remove them first.")
            % {"name": registration.name, "table": elsewhere.table.name}
        )


def set_fixed_table(registration: Registration, table: Table | None, *, actor: Any) -> None:
    """The organiser gives a participant a table of their own for all their meetings (or takes it)."""
    _require_organiser(actor, registration.event)
    with transaction.atomic():
        _lock_event(registration.event)
        if table is not None:
            _check_fixed_table(registration, table)
        registration.fixed_table = table
        registration.save(update_fields=["fixed_table", "updated_at"])


def keep_table(registration: Registration, *, actor: Any) -> Table:
    """A provider asks to stay at one table: they get the first table no one keeps."""
    if not permissions.is_participant(actor, registration):
        raise PermissionDenied(_("Only the participant asks for a table of their own."))
    if registration.side != Side.PROVIDER:
        raise ValidationError(_("Only those who offer support keep a table of their own."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Your registration is not confirmed."))
    with transaction.atomic():
        event = _lock_event(registration.event)
        if registration.fixed_table_id is not None:
            raise ValidationError(_("You keep a table already."))
        kept = set(confirmed(event).exclude(fixed_table=None).values_list("fixed_table", flat=True))
        free = [table for table in event.tables.order_by("pk") if table.pk not in kept]
        for table in free:
            try:
                _check_fixed_table(registration, table)
            except ValidationError:
                continue
            registration.fixed_table = table
            registration.save(update_fields=["fixed_table", "updated_at"])
            return table
        raise ValidationError(_("No table is free to keep: ask the organisers."))


def release_table(registration: Registration, *, actor: Any) -> None:
    if not permissions.is_participant(actor, registration):
        raise PermissionDenied(_("Only the participant gives back their table."))
    registration.fixed_table = None
    registration.save(update_fields=["fixed_table", "updated_at"])


# --- availability ----------------------------------------------------------------------------------


def available_ids(registration: Registration, all_slots: Sequence[int]) -> list[int]:
    """The slots the person is free in: all of them until they say otherwise."""
    chosen = {slot.pk for slot in registration.available_slots.all()}
    return [pk for pk in all_slots if pk in chosen] if chosen else list(all_slots)


def set_availability(
    registration: Registration, *, actor: Any, slots: Iterable[Slot], max_meetings: int | None
) -> None:
    """The slots the participant is free in and the most meetings they want. A locked meeting
    holds its slot: the organisers move it first."""
    event = registration.event
    if not (permissions.is_participant(actor, registration) or permissions.is_organiser(actor, event)):
        raise PermissionDenied(_("Only the participant and the organisers say when they are free."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed participants have meetings."))
    chosen = list(slots)
    if not chosen:
        raise ValidationError(_("Tick at least one slot: without one, no meeting can be scheduled."))
    if any(slot.event_id != event.pk for slot in chosen):
        raise ValidationError(_("That slot belongs to another event."))
    if max_meetings is not None and not 1 <= max_meetings <= 50:
        raise ValidationError(_("The most meetings is a number from 1 to 50."))
    with transaction.atomic():
        _lock_event(event)
        locked = list(
            Meeting.objects.filter(meetings_of(registration), locked=True).select_related("slot", "request")
        )
        keep = {slot.pk for slot in chosen}
        for meeting in locked:
            if meeting.slot_id not in keep:
                raise ValidationError(
                    _(
                        "You have a confirmed meeting at %(time)s with %(name)s: "
                        "ask the organisers to move it before you leave that slot."
                    )
                    % {
                        "time": local_time(event, meeting.slot.starts_at),
                        "name": meeting.request.other(registration).name,
                    }
                )
        if max_meetings is not None and len(locked) > max_meetings:
            raise ValidationError(
                ngettext(
                    "You have %(count)s confirmed meeting already: the most cannot be lower.",
                    "You have %(count)s confirmed meetings already: the most cannot be lower.",
                    len(locked),
                )
                % {"count": len(locked)}
            )
        registration.available_slots.set(chosen)
        registration.max_meetings = max_meetings
        registration.save(update_fields=["max_meetings", "updated_at"])


# --- the instance and the scheduler ----------------------------------------------------------------


def _scheduled_requests(event: Event) -> QuerySet[MeetingRequest]:
    """Accepted requests between two confirmed participants: what the scheduler places."""
    return MeetingRequest.objects.filter(
        event=event,
        status=RequestStatus.ACCEPTED,
        requester__status=RegistrationStatus.CONFIRMED,
        invitee__status=RegistrationStatus.CONFIRMED,
        requester__event=event,
        invitee__event=event,
    )


def instance_for(event: Event) -> dict[str, Any]:
    """The scheduler's instance (see ``scheduling``) for the round table as it stands: its
    slots and tables, its confirmed participants with their availability, maximum and fixed
    table, the accepted requests between them, and the locked meetings among those."""
    slots = list(event.slots.order_by("starts_at"))
    slot_ids = [slot.pk for slot in slots]
    tables = list(event.tables.order_by("pk"))
    table_ids = {table.pk for table in tables}
    people = list(confirmed(event).prefetch_related("available_slots").order_by("pk"))
    requests = list(_scheduled_requests(event).order_by("pk"))
    request_ids = {request.pk for request in requests}
    locked = Meeting.objects.filter(request__in=request_ids, locked=True).order_by("pk")
    participants = []
    for person in people:
        entry: dict[str, Any] = {
            "id": person.pk,
            "role": "provider" if person.side == Side.PROVIDER else "seeker",
            "available": available_ids(person, slot_ids),
            "max_meetings": person.max_meetings if person.max_meetings is not None else len(slots),
        }
        if person.fixed_table_id in table_ids:
            entry["fixed_table"] = person.fixed_table_id
        participants.append(entry)
    return {
        "event": event.identifier,
        "slots": [
            {"id": slot.pk, "start": slot.starts_at.isoformat(), "end": slot.ends_at.isoformat()}
            for slot in slots
        ],
        "tables": [{"id": table.pk} for table in tables],
        "participants": participants,
        "requests": [
            {
                "id": request.pk,
                "a": request.requester_id,
                "b": request.invitee_id,
                "priority": request.priority,
            }
            for request in requests
        ],
        "locked": [
            {"request": meeting.request_id, "slot": meeting.slot_id, "table": meeting.table_id}
            for meeting in locked
        ],
    }


def _parsed(data: dict[str, Any]) -> scheduling.Instance:
    try:
        return scheduling.parse_instance(data)
    except scheduling.InstanceError as error:
        raise ValidationError(
            _("The schedule cannot be made: %(problem)s") % {"problem": _(error.template) % error.params}
        ) from error


def _locked_problems(event: Event) -> list[str]:
    """Locked meetings that break a rule now (someone changed their availability, maximum or
    fixed table since), in words the organiser can act on."""
    problems: list[str] = []
    slot_ids = list(event.slots.order_by("starts_at").values_list("pk", flat=True))
    counts: dict[int, int] = defaultdict(int)
    locked = (
        Meeting.objects.filter(request__in=_scheduled_requests(event), locked=True)
        .select_related("slot", "table", "request__requester", "request__invitee")
        .prefetch_related("request__requester__available_slots", "request__invitee__available_slots")
        .order_by("slot__starts_at")
    )
    for meeting in locked:
        for person in (meeting.request.requester, meeting.request.invitee):
            counts[person.pk] += 1
            where = {"name": person.name, "time": local_time(event, meeting.slot.starts_at)}
            if meeting.slot_id not in available_ids(person, slot_ids):
                problems.append(
                    _("%(name)s is no longer free at %(time)s, where a locked meeting is.") % where
                )
            if person.fixed_table_id is not None and person.fixed_table_id != meeting.table_id:
                problems.append(
                    _("%(name)s keeps another table than the locked meeting's at %(time)s.") % where
                )
            if person.max_meetings is not None and counts[person.pk] == person.max_meetings + 1:
                problems.append(_("%(name)s has more locked meetings than their most.") % where)
    return problems


@dataclass
class Outcome:
    """What a run of the scheduler did, for the organiser."""

    scheduled: int = 0
    objective: int = 0
    unplaced: int = 0
    changed: list[int] = field(default_factory=list)  # the registrations whose agenda changed


def _placements(event: Event) -> dict[int, tuple[int, int]]:
    return {
        request: (slot, table)
        for request, slot, table in Meeting.objects.filter(slot__event=event).values_list(
            "request", "slot", "table"
        )
    }


def _people_of(request_ids: Iterable[int]) -> set[int]:
    people: set[int] = set()
    for requester, invitee in MeetingRequest.objects.filter(pk__in=list(request_ids)).values_list(
        "requester", "invitee"
    ):
        people |= {requester, invitee}
    return people


def build_schedule(event: Event, *, actor: Any, time_limit: float | None = None) -> Outcome:
    """Run the scheduler on the round table as it stands and put its result in place of the
    unlocked meetings; locked meetings stay. Refused, with nothing changed, when the locked
    meetings break a rule or the round table changed while the scheduler ran. After
    publication, the people whose meetings moved, appeared or went are e-mailed. The time
    limit is the scheduler's own by default (from the size of the round table)."""
    _require_organiser(actor, event)
    _require_round_table(event)
    problems = _locked_problems(event)
    if problems:
        raise ValidationError(problems)
    data = instance_for(event)
    instance = _parsed(data)
    result = scheduling.schedule(instance, time_limit=time_limit)
    with transaction.atomic():
        event = _lock_event(event)
        # Checked again on the round table as it is now: an organiser may have moved or locked
        # a meeting, or someone changed their availability, while the scheduler ran.
        now = instance_for(event)
        if now != data or scheduling.check(_parsed(now), result):
            raise ValidationError(
                _("The round table changed while the schedule was being made: make it again.")
            )
        before = _placements(event)
        locked = set(Meeting.objects.filter(slot__event=event, locked=True).values_list("request", flat=True))
        placed = [meeting for meeting in result.meetings if int(meeting.request) not in locked]
        in_instance = {request["id"] for request in data["requests"]}
        # Unlocked meetings go, and so do any of requests no longer to schedule (withdrawn,
        # or a participant cancelled).
        Meeting.objects.filter(slot__event=event).filter(
            Q(locked=False) | ~Q(request__in=in_instance)
        ).delete()
        Meeting.objects.bulk_create(
            [
                Meeting(request_id=meeting.request, slot_id=meeting.slot, table_id=meeting.table)
                for meeting in placed
            ]
        )
        after = _placements(event)
        changed_requests = {
            request for request in set(before) | set(after) if before.get(request) != after.get(request)
        }
        outcome = Outcome(
            scheduled=len(after),
            objective=result.objective,
            unplaced=len(in_instance - set(after)),
            changed=sorted(_people_of(changed_requests)),
        )
        if event.schedule_published_at is not None and outcome.changed:
            changed = list(outcome.changed)
            transaction.on_commit(lambda: _tell_changed(event, changed))
    return outcome


# The scheduler runs in the worker; whether it runs, and how the last run ended, is kept in the
# job queue's storage, which the web and the worker share.
def _run_key(event: Event) -> str:
    return f"events:schedule-run:{event.pk}:{event.identifier}"


@dataclass(frozen=True)
class Run:
    running: bool
    message: str = ""
    error: bool = False


def run_state(event: Event, *, consume: bool = False) -> Run | None:
    """Whether the scheduler runs for the round table, or how its last run ended (``consume``
    forgets an ended run once shown)."""
    value = HUEY.get(_run_key(event), peek=True)
    if not isinstance(value, dict):
        return None
    if value.get("running"):
        started = datetime.fromisoformat(value["started"])
        if timezone.now() - started > RUN_LOST_AFTER:
            HUEY.delete(_run_key(event))
            return None
        return Run(running=True)
    if consume:
        HUEY.delete(_run_key(event))
    return Run(running=False, message=str(value.get("message", "")), error=bool(value.get("error")))


def lock_published(event: Event, *, actor: Any) -> int:
    """Lock every meeting of the published schedule, so a new run adds to it without moving
    anyone. Returns how many were locked."""
    _require_organiser(actor, event)
    with transaction.atomic():
        _lock_event(event)
        return Meeting.objects.filter(slot__event=event, locked=False).update(
            locked=True, updated_at=timezone.now()
        )


def start_scheduling(event: Event, *, actor: Any, language: str, lock_first: bool = False) -> None:
    """Queue a run of the scheduler; the schedule page shows it running until it ends."""
    _require_organiser(actor, event)
    _require_round_table(event)
    state = run_state(event)
    if state is not None and state.running:
        raise ValidationError(_("The schedule is being made already: wait for it to finish."))
    if not event.slots.exists() or not event.tables.exists():
        raise ValidationError(_("Add the slots and the tables first."))
    if lock_first:
        lock_published(event, actor=actor)
    HUEY.delete(_run_key(event))
    if not HUEY.put_if_empty(_run_key(event), {"running": True, "started": timezone.now().isoformat()}):
        raise ValidationError(_("The schedule is being made already: wait for it to finish."))
    from clearinghouse.events import schedule_tasks

    event_id, actor_id = event.pk, actor.pk
    transaction.on_commit(lambda: schedule_tasks.make_schedule(event_id, actor_id, language))


def run_and_record(event: Event, actor: Any) -> Outcome | None:
    """The job's work: run the scheduler, then record how it ended for the organisers' page."""
    outcome: Outcome | None = None
    error = False
    try:
        outcome = build_schedule(event, actor=actor)
    except (ValidationError, PermissionDenied) as problem:
        error = True
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        message = " ".join(str(text) for text in messages)
    else:
        message = ngettext(
            "The schedule is made: %(count)s meeting placed.",
            "The schedule is made: %(count)s meetings placed.",
            outcome.scheduled,
        ) % {"count": outcome.scheduled}
        if outcome.unplaced:
            message += " " + ngettext(
                "%(count)s accepted request is not placed: see why below.",
                "%(count)s accepted requests are not placed: see why below.",
                outcome.unplaced,
            ) % {"count": outcome.unplaced}
    finally:
        if not error and outcome is None:
            message = _("The scheduler stopped before the schedule was made.")
            error = True
        HUEY.put(_run_key(event), {"running": False, "message": message, "error": error})
    return outcome


# --- review ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unplaced:
    request: MeetingRequest
    reason: str


def unplaced(event: Event) -> list[Unplaced]:
    """Accepted requests without a meeting, each with why the scheduler could not place it."""
    slot_ids = list(event.slots.order_by("starts_at").values_list("pk", flat=True))
    requests = list(
        _scheduled_requests(event)
        .filter(meeting__isnull=True)
        .select_related("requester", "invitee")
        .prefetch_related("requester__available_slots", "invitee__available_slots")
        .order_by("-priority", "pk")
    )
    if not requests:
        return []
    busy: dict[int, set[int]] = defaultdict(set)
    used: dict[int, int] = defaultdict(int)
    for requester, invitee, slot in Meeting.objects.filter(slot__event=event).values_list(
        "request__requester", "request__invitee", "slot"
    ):
        for person in (requester, invitee):
            busy[person].add(slot)
        used[slot] += 1
    found = []
    for request in requests:
        a, b = request.requester, request.invitee
        common = set(available_ids(a, slot_ids)) & set(available_ids(b, slot_ids))
        if a.fixed_table_id and b.fixed_table_id and a.fixed_table_id != b.fixed_table_id:
            reason = _("Both keep a table of their own: two different tables.")
        elif not common:
            reason = _("No slot in which both are free.")
        elif any(
            person.max_meetings is not None and len(busy[person.pk]) >= person.max_meetings
            for person in (a, b)
        ):
            reason = _("One of them has reached their most meetings.")
        else:
            reason = _("No room: in the slots both are free, one of them or every table is taken.")
        found.append(Unplaced(request, reason))
    return found


def set_locked(meeting: Meeting, locked: bool, *, actor: Any) -> None:
    _require_organiser(actor, meeting.slot.event)
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])


def move_meeting(meeting: Meeting, *, slot: Slot, table: Table, actor: Any) -> None:
    """Put a meeting in another slot or at another table, if every rule still holds; a moved
    meeting is locked, so the scheduler leaves it there."""
    event = meeting.slot.event
    _require_organiser(actor, event)
    if slot.event_id != event.pk or table.event_id != event.pk:
        raise ValidationError(_("That slot or table belongs to another event."))
    with transaction.atomic():
        event = _lock_event(event)
        meeting = Meeting.objects.select_related("request__requester", "request__invitee").get(pk=meeting.pk)
        request = meeting.request
        slot_ids = list(event.slots.values_list("pk", flat=True))
        when = local_time(event, slot.starts_at)
        taken = Meeting.objects.filter(slot=slot, table=table).exclude(pk=meeting.pk).first()
        if taken is not None:
            raise ValidationError(
                _("%(table)s is taken at %(time)s by another meeting.") % {"table": table.name, "time": when}
            )
        for person in (request.requester, request.invitee):
            names = {"name": person.name, "time": when, "table": table.name}
            if slot.pk not in available_ids(person, slot_ids):
                raise ValidationError(_("%(name)s is not available at %(time)s.") % names)
            if Meeting.objects.filter(meetings_of(person), slot=slot).exclude(pk=meeting.pk).exists():
                raise ValidationError(_("%(name)s has another meeting at %(time)s.") % names)
            if person.fixed_table_id is not None and person.fixed_table_id != table.pk:
                raise ValidationError(
                    _("%(name)s keeps a table of their own: the meeting cannot be at %(table)s.") % names
                )
        moved = (meeting.slot_id, meeting.table_id) != (slot.pk, table.pk)
        meeting.slot, meeting.table, meeting.locked = slot, table, True
        meeting.save(update_fields=["slot", "table", "locked", "updated_at"])
        if moved and event.schedule_published_at is not None:
            people = [request.requester_id, request.invitee_id]
            transaction.on_commit(lambda: _tell_changed(event, people))


def remove_meeting(meeting: Meeting, *, actor: Any) -> None:
    """Take a meeting out of the schedule; its request stays accepted, to place again."""
    event = meeting.slot.event
    _require_organiser(actor, event)
    with transaction.atomic():
        event = _lock_event(event)
        people = [meeting.request.requester_id, meeting.request.invitee_id]
        meeting.delete()
        if event.schedule_published_at is not None:
            transaction.on_commit(lambda: _tell_changed(event, people))


def grid(event: Event) -> tuple[list[Slot], list[Table], dict[tuple[int, int], Meeting]]:
    """The slots, the tables, and the meeting in each (slot, table)."""
    slots = list(event.slots.order_by("starts_at"))
    tables = list(event.tables.order_by("pk"))
    meetings = (
        Meeting.objects.filter(slot__event=event)
        .select_related("request__requester", "request__invitee")
        .order_by("pk")
    )
    return slots, tables, {(meeting.slot_id, meeting.table_id): meeting for meeting in meetings}


# --- publication and agendas ----------------------------------------------------------------------


def publish(event: Event, *, actor: Any) -> int:
    """Publish the schedule: every participant with meetings gets their agenda by e-mail, in
    their language. Returns how many people are written to."""
    _require_organiser(actor, event)
    _require_round_table(event)
    with transaction.atomic():
        event = _lock_event(event)
        if event.schedule_published_at is not None:
            raise ValidationError(_("The schedule is published already."))
        if not Meeting.objects.filter(slot__event=event).exists():
            raise ValidationError(_("There is no meeting to publish: make the schedule first."))
        event.schedule_published_at = timezone.now()
        event.save(update_fields=["schedule_published_at"])
        people = sorted(
            _people_of(Meeting.objects.filter(slot__event=event).values_list("request", flat=True))
        )
        transaction.on_commit(lambda: _tell_published(event, people))
    return len(people)


def may_see_agenda(user: Any, registration: Registration) -> bool:
    """The participant once the schedule is published; the organisers always (provisional too)."""
    event = registration.event
    if permissions.is_organiser(user, event):
        return True
    return permissions.is_participant(user, registration) and event.schedule_published_at is not None


def _tell_published(event: Event, people: list[int]) -> None:
    send(event, people, changed=False)


def _tell_changed(event: Event, people: list[int]) -> None:
    send(event, people, changed=True)
