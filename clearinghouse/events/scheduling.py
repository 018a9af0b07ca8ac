"""The 1:1 meeting scheduler of matchmaking round tables.

Participants ask for meetings with a priority (3 must meet, 2 would like, 1 if time allows); the
scheduler places requests in (slot, table) pairs so that the sum of the placed priorities is as
large as it can find, and every rule holds:

- locked meetings stay where they are (slot and table);
- both participants are available in the slot; nobody meets more than their ``max_meetings``;
- one meeting per person per slot, one meeting per table per slot;
- a participant with a fixed table meets only at that table (so a request between two people
  with two different fixed tables is never placed).

The model is an integer program over x[request, slot]; tables are assigned afterwards. Per slot,
meetings of fixed-table participants need their table (at most one per fixed table), the others
any table, and the slot holds no more meetings than tables: under these constraints a table
assignment always exists (fixed tables first, then the free ones). A greedy pass and a local
search give a first schedule quickly; HiGHS (``highspy``) then starts from it and improves it
within the time limit. Whatever happens in the solver, the result is a valid schedule.

Pure Python, no Django: the web app and the ``schedule-meetings`` command share it. Error
messages are marked with ``gettext_noop`` so that callers translate ``InstanceError.template``.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

Id = str | int
Role = Literal["seeker", "provider"]
ROLES: tuple[Role, ...] = ("seeker", "provider")
PRIORITIES = (1, 2, 3)
# Below this many requests the default time limit is short (a small round table).
SMALL_INSTANCE = 600
SMALL_TIME_LIMIT = 4.0
LARGE_TIME_LIMIT = 25.0


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues; callers translate it (this module has no Django)."""
    return message


class InstanceError(ValueError):
    """The instance is not valid: ``str(error)`` says what is wrong, in English;
    ``template % params`` with a translated ``template`` says it in the user's language."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = {name: _show(value) for name, value in params.items()}
        super().__init__(template % self.params)


def _show(value: object) -> str:
    # Values as they are written in JSON: "s1" keeps its quotes, 3 does not.
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True, slots=True)
class Slot:
    id: Id
    start: str = ""
    end: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    id: Id


@dataclass(frozen=True, slots=True)
class Participant:
    id: Id
    role: Role
    available: frozenset[Id]
    max_meetings: int
    fixed_table: Id | None = None


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    id: Id
    a: Id
    b: Id
    priority: int


@dataclass(frozen=True, slots=True)
class Locked:
    request: Id
    slot: Id
    table: Id


@dataclass(frozen=True)
class Instance:
    slots: tuple[Slot, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    requests: tuple[MeetingRequest, ...]
    locked: tuple[Locked, ...] = ()
    event: Any = None


@dataclass(frozen=True, slots=True)
class Meeting:
    request: Id
    slot: Id
    table: Id


@dataclass(frozen=True)
class Schedule:
    """A valid schedule. ``bound`` is an upper bound on the best objective when one is known
    (the solver's dual bound); ``optimal`` says the objective is proven best."""

    meetings: tuple[Meeting, ...]
    objective: int
    seconds: float
    optimal: bool = False
    bound: float | None = None
    method: str = "heuristic"

    @property
    def gap(self) -> float | None:
        """How far the objective may be from the best one, as a share of the bound."""
        if self.bound is None:
            return None
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


# ---------------------------------------------------------------------------------------------
# Reading an instance


def _list(data: Mapping[str, Any], key: str, *, required: bool = True) -> list[Mapping[str, Any]]:
    if key not in data:
        if required:
            raise InstanceError(gettext_noop("The instance has no %(key)s list."), key=key)
        return []
    items = data[key]
    if not isinstance(items, list):
        raise InstanceError(gettext_noop("%(key)s must be a list."), key=key)
    for position, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise InstanceError(
                gettext_noop("Item %(position)s of %(key)s must be an object."), position=position, key=key
            )
    return items


def _is_id(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _field_id(item: Mapping[str, Any], name: str, key: str, position: int) -> Id:
    value = item.get(name)
    if not _is_id(value):
        raise InstanceError(
            gettext_noop("Item %(position)s of %(key)s has no valid %(field)s (a text or a whole number)."),
            position=position,
            key=key,
            field=name,
        )
    return cast("Id", value)  # narrowed by _is_id


def _unique_ids(items: list[Mapping[str, Any]], key: str) -> list[Id]:
    ids: list[Id] = []
    seen: set[tuple[type, Id]] = set()
    for position, item in enumerate(items, start=1):
        identifier = _field_id(item, "id", key, position)
        # 1 and "1" are different ids: they are kept as given.
        marker = (type(identifier), identifier)
        if marker in seen:
            raise InstanceError(
                gettext_noop("The id %(id)s appears twice in %(key)s."), id=identifier, key=key
            )
        seen.add(marker)
        ids.append(identifier)
    return ids


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_instance(data: Mapping[str, Any]) -> Instance:
    """The instance described by ``data`` (the JSON format of the ``schedule-meetings`` command),
    checked: unknown or duplicate ids, priorities outside 1..3, a request joining someone to
    themself, and locked meetings that break a rule raise an ``InstanceError`` naming them."""
    if not isinstance(data, Mapping):
        raise InstanceError(gettext_noop("The instance must be a JSON object."))
    slot_items = _list(data, "slots")
    table_items = _list(data, "tables")
    participant_items = _list(data, "participants")
    request_items = _list(data, "requests")
    locked_items = _list(data, "locked", required=False)

    slots = tuple(
        Slot(identifier, str(item.get("start", "")), str(item.get("end", "")))
        for identifier, item in zip(_unique_ids(slot_items, "slots"), slot_items, strict=True)
    )
    tables = tuple(Table(identifier) for identifier in _unique_ids(table_items, "tables"))
    slot_ids = {(type(slot.id), slot.id) for slot in slots}
    table_ids = {(type(table.id), table.id) for table in tables}

    participants = []
    for identifier, item in zip(
        _unique_ids(participant_items, "participants"), participant_items, strict=True
    ):
        participants.append(_participant(identifier, item, slot_ids, table_ids))
    by_participant = {(type(person.id), person.id): person for person in participants}

    requests = []
    for identifier, item in zip(_unique_ids(request_items, "requests"), request_items, strict=True):
        requests.append(_request(identifier, item, by_participant))
    by_request = {(type(request.id), request.id): request for request in requests}

    locked = tuple(
        _locked(position, item, by_request, slot_ids, table_ids)
        for position, item in enumerate(locked_items, start=1)
    )
    _check_locked(locked, by_request, by_participant)
    return Instance(slots, tables, tuple(participants), tuple(requests), locked, data.get("event"))


def _participant(
    identifier: Id,
    item: Mapping[str, Any],
    slot_ids: set[tuple[type, Id]],
    table_ids: set[tuple[type, Id]],
) -> Participant:
    role = item.get("role")
    if role not in ROLES:
        raise InstanceError(
            gettext_noop("Participant %(participant)s has the unknown role %(role)s (seeker or provider)."),
            participant=identifier,
            role=role,
        )
    available = item.get("available", [])
    if not isinstance(available, list):
        raise InstanceError(
            gettext_noop("The availability of participant %(participant)s must be a list of slot ids."),
            participant=identifier,
        )
    for slot in available:
        if not _is_id(slot) or (type(slot), slot) not in slot_ids:
            raise InstanceError(
                gettext_noop("Participant %(participant)s is available in the unknown slot %(slot)s."),
                participant=identifier,
                slot=slot,
            )
    maximum = _whole(item.get("max_meetings"))
    if maximum is None or maximum < 0:
        raise InstanceError(
            gettext_noop(
                "Participant %(participant)s has no valid max_meetings (a whole number, 0 or more)."
            ),
            participant=identifier,
        )
    fixed = item.get("fixed_table")
    if fixed is not None and (not _is_id(fixed) or (type(fixed), fixed) not in table_ids):
        raise InstanceError(
            gettext_noop("Participant %(participant)s keeps the unknown table %(table)s."),
            participant=identifier,
            table=fixed,
        )
    return Participant(identifier, role, frozenset(available), maximum, fixed)


def _request(
    identifier: Id, item: Mapping[str, Any], by_participant: Mapping[tuple[type, Id], Participant]
) -> MeetingRequest:
    sides: list[Id] = []
    for side in ("a", "b"):
        person = item.get(side)
        if not _is_id(person) or (type(person), person) not in by_participant:
            raise InstanceError(
                gettext_noop("Request %(request)s names the unknown participant %(participant)s."),
                request=identifier,
                participant=person,
            )
        sides.append(person)  # type: ignore[arg-type]  # an id: _is_id said so
    a, b = sides
    if type(a) is type(b) and a == b:
        raise InstanceError(
            gettext_noop("Request %(request)s would have participant %(participant)s meet themself."),
            request=identifier,
            participant=a,
        )
    priority = _whole(item.get("priority"))
    if priority not in PRIORITIES:
        raise InstanceError(
            gettext_noop("Request %(request)s has the priority %(priority)s; it must be 1, 2 or 3."),
            request=identifier,
            priority=item.get("priority"),
        )
    return MeetingRequest(identifier, a, b, priority)


def _locked(
    position: int,
    item: Mapping[str, Any],
    by_request: Mapping[tuple[type, Id], MeetingRequest],
    slot_ids: set[tuple[type, Id]],
    table_ids: set[tuple[type, Id]],
) -> Locked:
    request = item.get("request")
    if not _is_id(request) or (type(request), request) not in by_request:
        raise InstanceError(
            gettext_noop("Locked meeting %(position)s names the unknown request %(request)s."),
            position=position,
            request=request,
        )
    slot = item.get("slot")
    if not _is_id(slot) or (type(slot), slot) not in slot_ids:
        raise InstanceError(
            gettext_noop("Locked meeting %(position)s is in the unknown slot %(slot)s."),
            position=position,
            slot=slot,
        )
    table = item.get("table")
    if not _is_id(table) or (type(table), table) not in table_ids:
        raise InstanceError(
            gettext_noop("Locked meeting %(position)s is at the unknown table %(table)s."),
            position=position,
            table=table,
        )
    # Narrowed by _is_id above.
    return Locked(cast("Id", request), cast("Id", slot), cast("Id", table))


def _check_locked(
    locked: Sequence[Locked],
    by_request: Mapping[tuple[type, Id], MeetingRequest],
    by_participant: Mapping[tuple[type, Id], Participant],
) -> None:
    requests: set[tuple[type, Id]] = set()
    busy: set[tuple[tuple[type, Id], tuple[type, Id]]] = set()
    tables: set[tuple[tuple[type, Id], tuple[type, Id]]] = set()
    counts: dict[tuple[type, Id], int] = {}
    for meeting in locked:
        key = (type(meeting.request), meeting.request)
        slot = (type(meeting.slot), meeting.slot)
        table = (type(meeting.table), meeting.table)
        if key in requests:
            raise InstanceError(gettext_noop("Request %(request)s is locked twice."), request=meeting.request)
        requests.add(key)
        if (table, slot) in tables:
            raise InstanceError(
                gettext_noop("Table %(table)s has two locked meetings in slot %(slot)s."),
                table=meeting.table,
                slot=meeting.slot,
            )
        tables.add((table, slot))
        request = by_request[key]
        for side in (request.a, request.b):
            person = by_participant[(type(side), side)]
            if not _same(meeting.slot, person.available):
                raise InstanceError(
                    gettext_noop(
                        "Locked request %(request)s is in slot %(slot)s, "
                        "where participant %(participant)s is not available."
                    ),
                    request=meeting.request,
                    slot=meeting.slot,
                    participant=side,
                )
            if person.fixed_table is not None and not _equal(person.fixed_table, meeting.table):
                raise InstanceError(
                    gettext_noop(
                        "Locked request %(request)s is at table %(table)s, "
                        "but participant %(participant)s keeps table %(fixed)s."
                    ),
                    request=meeting.request,
                    table=meeting.table,
                    participant=side,
                    fixed=person.fixed_table,
                )
            marker = ((type(side), side), slot)
            if marker in busy:
                raise InstanceError(
                    gettext_noop("Participant %(participant)s is in two locked meetings in slot %(slot)s."),
                    participant=side,
                    slot=meeting.slot,
                )
            busy.add(marker)
            counts[(type(side), side)] = counts.get((type(side), side), 0) + 1
            if counts[(type(side), side)] > person.max_meetings:
                raise InstanceError(
                    gettext_noop(
                        "Participant %(participant)s has more locked meetings "
                        "than their maximum of %(maximum)s."
                    ),
                    participant=side,
                    maximum=person.max_meetings,
                )


def _equal(left: Id, right: Id) -> bool:
    return type(left) is type(right) and left == right


def _same(identifier: Id, ids: Iterable[Id]) -> bool:
    # Membership that tells 1 from "1" and from True.
    return any(_equal(identifier, other) for other in ids)


# ---------------------------------------------------------------------------------------------
# The instance in numbers


@dataclass
class _Problem:
    """The instance as indices, locked meetings taken out of the capacities, and the requests
    that can still be placed, each with the slots it can use."""

    instance: Instance
    slot_count: int
    table_count: int
    # Per candidate request: its index in instance.requests, the two people, its priority, the
    # fixed table it needs (or -1) and the slots it can use.
    request: list[int] = field(default_factory=list)
    a: list[int] = field(default_factory=list)
    b: list[int] = field(default_factory=list)
    priority: list[int] = field(default_factory=list)
    table: list[int] = field(default_factory=list)
    slots: list[list[int]] = field(default_factory=list)
    # Remaining capacities once locked meetings are placed.
    remaining: list[int] = field(default_factory=list)  # meetings each person may still have
    person_free: list[bytearray] = field(default_factory=list)  # [person][slot]: 1 if free
    table_free: list[bytearray] = field(default_factory=list)  # [fixed table][slot]: 1 if free
    slot_room: list[int] = field(default_factory=list)  # tables left per slot
    locked_objective: int = 0


def _key(identifier: Id) -> tuple[type, Id]:
    return (type(identifier), identifier)


def _problem(instance: Instance) -> _Problem:
    slot_index = {_key(slot.id): number for number, slot in enumerate(instance.slots)}
    table_index = {_key(table.id): number for number, table in enumerate(instance.tables)}
    person_index = {_key(person.id): number for number, person in enumerate(instance.participants)}
    request_index = {_key(request.id): number for number, request in enumerate(instance.requests)}
    slot_count = len(instance.slots)
    problem = _Problem(instance, slot_count, len(instance.tables))
    problem.remaining = [person.max_meetings for person in instance.participants]
    available = [
        bytearray(
            1 if slot.id in person.available and _same(slot.id, person.available) else 0
            for slot in instance.slots
        )
        for person in instance.participants
    ]
    problem.person_free = [bytearray(row) for row in available]
    problem.table_free = [bytearray([1]) * slot_count for _ in instance.tables]
    problem.slot_room = [len(instance.tables)] * slot_count
    locked_requests = set()
    for meeting in instance.locked:
        number = request_index[_key(meeting.request)]
        locked_requests.add(number)
        request = instance.requests[number]
        slot = slot_index[_key(meeting.slot)]
        problem.table_free[table_index[_key(meeting.table)]][slot] = 0
        problem.slot_room[slot] -= 1
        problem.locked_objective += request.priority
        for side in (request.a, request.b):
            person = person_index[_key(side)]
            problem.person_free[person][slot] = 0
            problem.remaining[person] -= 1
    fixed = [
        -1 if person.fixed_table is None else table_index[_key(person.fixed_table)]
        for person in instance.participants
    ]
    for number, request in enumerate(instance.requests):
        if number in locked_requests:
            continue
        a, b = person_index[_key(request.a)], person_index[_key(request.b)]
        if problem.remaining[a] <= 0 or problem.remaining[b] <= 0:
            continue
        if fixed[a] >= 0 and fixed[b] >= 0 and fixed[a] != fixed[b]:
            continue
        table = max(fixed[a], fixed[b])
        free_a, free_b = problem.person_free[a], problem.person_free[b]
        usable = [
            slot
            for slot in range(slot_count)
            if free_a[slot]
            and free_b[slot]
            and problem.slot_room[slot] > 0
            and (table < 0 or problem.table_free[table][slot])
        ]
        if not usable:
            continue
        problem.request.append(number)
        problem.a.append(a)
        problem.b.append(b)
        problem.priority.append(request.priority)
        problem.table.append(table)
        problem.slots.append(usable)
    return problem


class _State:
    """A partial assignment of candidate requests to slots, with its capacities, for the
    greedy pass and the local search."""

    def __init__(self, problem: _Problem) -> None:
        self.problem = problem
        self.slot_of = [-1] * len(problem.request)
        self.person_busy = [bytearray(problem.slot_count) for _ in problem.remaining]
        # Who occupies a person's / fixed table's slot: the candidate's index, -1 if nobody.
        self.person_at: list[list[int]] = [[-1] * problem.slot_count for _ in problem.remaining]
        self.table_at: list[list[int]] = [[-1] * problem.slot_count for _ in problem.table_free]
        self.count = [0] * len(problem.remaining)
        self.used = [0] * problem.slot_count
        self.in_slot: list[set[int]] = [set() for _ in range(problem.slot_count)]
        self.objective = 0

    def fits(self, candidate: int, slot: int) -> bool:
        problem = self.problem
        a, b, table = problem.a[candidate], problem.b[candidate], problem.table[candidate]
        return (
            self.person_at[a][slot] < 0
            and self.person_at[b][slot] < 0
            and self.count[a] < problem.remaining[a]
            and self.count[b] < problem.remaining[b]
            and self.used[slot] < problem.slot_room[slot]
            and (table < 0 or self.table_at[table][slot] < 0)
        )

    def place(self, candidate: int, slot: int) -> None:
        problem = self.problem
        a, b, table = problem.a[candidate], problem.b[candidate], problem.table[candidate]
        self.slot_of[candidate] = slot
        self.person_at[a][slot] = candidate
        self.person_at[b][slot] = candidate
        if table >= 0:
            self.table_at[table][slot] = candidate
        self.count[a] += 1
        self.count[b] += 1
        self.used[slot] += 1
        self.in_slot[slot].add(candidate)
        self.objective += problem.priority[candidate]

    def remove(self, candidate: int) -> None:
        problem = self.problem
        slot = self.slot_of[candidate]
        a, b, table = problem.a[candidate], problem.b[candidate], problem.table[candidate]
        self.slot_of[candidate] = -1
        self.person_at[a][slot] = -1
        self.person_at[b][slot] = -1
        if table >= 0:
            self.table_at[table][slot] = -1
        self.count[a] -= 1
        self.count[b] -= 1
        self.used[slot] -= 1
        self.in_slot[slot].discard(candidate)
        self.objective -= problem.priority[candidate]

    def blockers(self, candidate: int, slot: int) -> set[int] | None:
        """The placed requests that keep ``candidate`` out of ``slot`` through the person and
        table rules; None when a full count or a full slot is in the way as well."""
        problem = self.problem
        a, b, table = problem.a[candidate], problem.b[candidate], problem.table[candidate]
        found = {self.person_at[a][slot], self.person_at[b][slot]}
        if table >= 0:
            found.add(self.table_at[table][slot])
        found.discard(-1)
        # Removing a blocker that involves a or b frees one of their meetings as well.
        frees_a = any(a in (problem.a[other], problem.b[other]) for other in found)
        frees_b = any(b in (problem.a[other], problem.b[other]) for other in found)
        if (self.count[a] >= problem.remaining[a] and not frees_a) or (
            self.count[b] >= problem.remaining[b] and not frees_b
        ):
            return None
        if self.used[slot] - len(found) >= problem.slot_room[slot]:
            return None
        return found


def _greedy(problem: _Problem) -> _State:
    state = _State(problem)
    # How many candidates may want each person in each slot: a slot wanted by few is taken first.
    demand = [[0] * problem.slot_count for _ in problem.remaining]
    for candidate, usable in enumerate(problem.slots):
        for slot in usable:
            demand[problem.a[candidate]][slot] += 1
            demand[problem.b[candidate]][slot] += 1
    order = sorted(
        range(len(problem.request)),
        key=lambda candidate: (-problem.priority[candidate], len(problem.slots[candidate]), candidate),
    )
    for candidate in order:
        a, b = problem.a[candidate], problem.b[candidate]
        best, best_cost = -1, 0
        for slot in problem.slots[candidate]:
            if state.fits(candidate, slot):
                cost = demand[a][slot] + demand[b][slot]
                if best < 0 or cost < best_cost:
                    best, best_cost = slot, cost
        for slot in problem.slots[candidate]:
            demand[a][slot] -= 1
            demand[b][slot] -= 1
        if best >= 0:
            state.place(candidate, best)
    return state


def _relocate(state: _State, candidate: int, avoid: int) -> bool:
    """Put a candidate that is out of the schedule in the first slot other than ``avoid`` where it
    fits; False (and nothing changed) if there is none."""
    for slot in state.problem.slots[candidate]:
        if slot != avoid and state.fits(candidate, slot):
            state.place(candidate, slot)
            return True
    return False


def _try_insert(state: _State, candidate: int) -> bool:
    """Place ``candidate``, moving the requests in its way to other slots, or dropping them when
    together they are worth less. True when the objective went up (or it was placed)."""
    problem = state.problem
    for slot in problem.slots[candidate]:
        if state.fits(candidate, slot):
            state.place(candidate, slot)
            return True
    worth = problem.priority[candidate]
    for slot in problem.slots[candidate]:
        found = state.blockers(candidate, slot)
        if not found or len(found) > 3:
            continue
        moved: list[tuple[int, int]] = []
        for other in found:
            moved.append((other, state.slot_of[other]))
            state.remove(other)
        if not state.fits(candidate, slot):
            for other, back in moved:
                state.place(other, back)
            continue
        state.place(candidate, slot)
        dropped = [other for other, _ in moved if not _relocate(state, other, slot)]
        if sum(problem.priority[other] for other in dropped) < worth:
            return True
        # Not better: undo everything.
        state.remove(candidate)
        for other, _ in moved:
            if state.slot_of[other] >= 0:
                state.remove(other)
        for other, back in moved:
            state.place(other, back)
    return False


def _try_exchange(state: _State, candidate: int, by_person: list[list[int]]) -> bool:
    """When one side of ``candidate`` has all the meetings it accepts: give up one of them worth
    no more, place ``candidate``, and use the freed partner for a request still waiting.
    True when the objective went up (nothing changed otherwise)."""
    problem = state.problem
    a, b = problem.a[candidate], problem.b[candidate]
    full = [side for side in (a, b) if state.count[side] >= problem.remaining[side]]
    if len(full) != 1:
        return False
    side = full[0]
    worth = problem.priority[candidate]
    held = {state.person_at[side][slot] for slot in range(problem.slot_count)} - {-1}
    for meeting in held:
        if problem.priority[meeting] > worth:
            continue
        partner = problem.b[meeting] if problem.a[meeting] == side else problem.a[meeting]
        back = state.slot_of[meeting]
        state.remove(meeting)
        if not _relocate(state, candidate, -1):
            state.place(meeting, back)
            continue
        if worth > problem.priority[meeting]:
            return True
        for waiting in by_person[partner]:
            if waiting != meeting and state.slot_of[waiting] < 0 and _relocate(state, waiting, -1):
                return True
        state.remove(candidate)
        state.place(meeting, back)
    return False


def _local_search(state: _State, deadline: float, seed: int = 0) -> None:
    problem = state.problem
    generator = random.Random(seed)  # noqa: S311  # nosec B311  # order of trials, not a secret
    by_person: list[list[int]] = [[] for _ in problem.remaining]
    for candidate in range(len(problem.request)):
        by_person[problem.a[candidate]].append(candidate)
        by_person[problem.b[candidate]].append(candidate)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        waiting = [candidate for candidate in range(len(problem.request)) if state.slot_of[candidate] < 0]
        generator.shuffle(waiting)
        waiting.sort(key=lambda candidate: -problem.priority[candidate])
        for position, candidate in enumerate(waiting):
            if position % 64 == 0 and time.perf_counter() >= deadline:
                return
            if state.slot_of[candidate] < 0 and (
                _try_insert(state, candidate) or _try_exchange(state, candidate, by_person)
            ):
                improved = True


# ---------------------------------------------------------------------------------------------
# The integer program


@dataclass
class _Solved:
    slot_of: list[int]
    optimal: bool
    bound: float | None


_banner_lock = threading.Lock()
_banner_shown = False


def _quiet_solver(highspy: Any) -> Any:
    """A HiGHS solver, made without its banner: HiGHS prints it on standard output the first time
    a solver is made in a process, where it would mix with a command's output."""
    global _banner_shown  # once per process, like the banner itself
    with _banner_lock:
        if _banner_shown:
            return highspy.Highs()
        _banner_shown = True
        sys.stdout.flush()
        saved = os.dup(1)
        silent = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(silent, 1)
            return highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(silent)


def _solve(
    problem: _Problem, start: list[int] | None, deadline: float | None, relative_gap: float
) -> _Solved | None:
    """Solve the integer program with HiGHS from ``start`` until ``deadline`` (a
    ``time.perf_counter()`` value, None for no limit); None when HiGHS is missing or finds no
    solution."""
    try:
        import highspy
        import numpy as np
    except ImportError:
        return None
    columns: list[tuple[int, int]] = []
    rows: dict[tuple[int, int, int], int] = {}
    upper: list[float] = []

    def row(kind: int, first: int, second: int, bound: float) -> int:
        key = (kind, first, second)
        number = rows.get(key)
        if number is None:
            number = rows[key] = len(upper)
            upper.append(bound)
        return number

    starts = [0]
    index: list[int] = []
    cost: list[float] = []
    for candidate, usable in enumerate(problem.slots):
        a, b, table = problem.a[candidate], problem.b[candidate], problem.table[candidate]
        once = row(0, candidate, 0, 1)
        most_a = row(1, a, 0, problem.remaining[a])
        most_b = row(1, b, 0, problem.remaining[b])
        for slot in usable:
            columns.append((candidate, slot))
            entries = [
                once,
                most_a,
                most_b,
                row(2, a, slot, 1),
                row(2, b, slot, 1),
                row(4, slot, 0, problem.slot_room[slot]),
            ]
            if table >= 0:
                entries.append(row(3, table, slot, 1))
            index.extend(entries)
            starts.append(len(index))
            cost.append(problem.priority[candidate])
    if not columns:
        return _Solved([], True, float(problem.locked_objective))
    model = highspy.HighsLp()
    model.num_col_ = len(columns)
    model.num_row_ = len(upper)
    model.sense_ = highspy.ObjSense.kMaximize
    model.offset_ = float(problem.locked_objective)
    model.col_cost_ = np.asarray(cost, dtype=np.float64)
    model.col_lower_ = np.zeros(len(columns))
    model.col_upper_ = np.ones(len(columns))
    model.row_lower_ = np.zeros(len(upper))
    model.row_upper_ = np.asarray(upper, dtype=np.float64)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    model.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    model.a_matrix_.value_ = np.ones(len(index))
    model.integrality_ = [highspy.HighsVarType.kInteger] * len(columns)
    solver = _quiet_solver(highspy)
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("random_seed", 0)
    solver.setOptionValue("mip_rel_gap", relative_gap)
    solver.passModel(model)
    if start is not None:
        values = np.zeros(len(columns))
        for number, (candidate, slot) in enumerate(columns):
            if start[candidate] == slot:
                values[number] = 1.0
        solution = highspy.HighsSolution()
        solution.col_value = values
        solution.value_valid = True
        solver.setSolution(solution)
    if deadline is not None:
        # What building the model took comes out of the solver's share.
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        solver.setOptionValue("time_limit", left)
    solver.run()
    info = solver.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    values = solver.getSolution().col_value
    slot_of = [-1] * len(problem.slots)
    for number, (candidate, slot) in enumerate(columns):
        if values[number] > 0.5:
            slot_of[candidate] = slot
    status = solver.getModelStatus()
    bound = info.mip_dual_bound
    return _Solved(
        slot_of,
        status == highspy.HighsModelStatus.kOptimal and relative_gap == 0,
        float(bound) if np.isfinite(bound) else None,
    )


def _valid_slots(problem: _Problem, slot_of: Sequence[int]) -> _State | None:
    """The state of ``slot_of`` if it keeps every rule; None otherwise (never trusted blindly)."""
    state = _State(problem)
    for candidate, slot in enumerate(slot_of):
        if slot < 0:
            continue
        if slot not in problem.slots[candidate] or not state.fits(candidate, slot):
            return None
        state.place(candidate, slot)
    return state


# ---------------------------------------------------------------------------------------------
# Tables, and the schedule


def _meetings(problem: _Problem, state: _State) -> tuple[Meeting, ...]:
    """Locked meetings as they are, then per slot the fixed-table meetings at their tables and
    the others at the free tables, in the instance's order of tables."""
    instance = problem.instance
    meetings = [Meeting(locked.request, locked.slot, locked.table) for locked in instance.locked]
    taken = [
        [problem.table_free[table][slot] == 0 for table in range(problem.table_count)]
        for slot in range(problem.slot_count)
    ]
    free_meetings: list[list[int]] = [[] for _ in range(problem.slot_count)]
    placed: list[tuple[int, int, int]] = []
    for candidate, slot in enumerate(state.slot_of):
        if slot < 0:
            continue
        table = problem.table[candidate]
        if table >= 0:
            taken[slot][table] = True
            placed.append((candidate, slot, table))
        else:
            free_meetings[slot].append(candidate)
    for slot, waiting in enumerate(free_meetings):
        free_tables = [table for table in range(problem.table_count) if not taken[slot][table]]
        # The model holds no more meetings in a slot than it has tables left: never short.
        for candidate, table in zip(waiting, free_tables[: len(waiting)], strict=True):
            placed.append((candidate, slot, table))
    placed.sort(key=lambda item: (item[1], item[2]))
    meetings.extend(
        Meeting(
            instance.requests[problem.request[candidate]].id,
            instance.slots[slot].id,
            instance.tables[table].id,
        )
        for candidate, slot, table in placed
    )
    return tuple(meetings)


def default_time_limit(instance: Instance) -> float:
    """Seconds the scheduler takes by default: short for a small round table, longer beyond."""
    return SMALL_TIME_LIMIT if len(instance.requests) <= SMALL_INSTANCE else LARGE_TIME_LIMIT


def schedule(instance: Instance, *, time_limit: float | None = None) -> Schedule:
    """The best valid schedule found within ``time_limit`` seconds (default: from the size).

    A greedy pass and a local search make a first schedule; HiGHS starts from it and improves
    it until it is proven optimal or the time is up. If the solver is missing or fails, the
    first schedule is returned; either way it keeps every rule."""
    started = time.perf_counter()
    limit = default_time_limit(instance) if time_limit is None else time_limit
    problem = _problem(instance)
    state = _greedy(problem)
    # The local search gets a small share: the solver does the real work.
    _local_search(state, started + min(1.0, 0.1 * limit))
    method = "heuristic"
    optimal = False
    bound: float | None = None
    # Keep a little time to read the answer, assign tables and return.
    deadline = started + limit - 0.1 - 0.00002 * len(problem.request)
    if deadline - time.perf_counter() > 0.05 and problem.request:
        solved = _solve(problem, list(state.slot_of), deadline, relative_gap=1e-6)
        if solved is not None:
            checked = _valid_slots(problem, solved.slot_of)
            if checked is not None and checked.objective >= state.objective:
                state = checked
                method = "highs"
            bound = solved.bound
            optimal = solved.optimal or (
                bound is not None and state.objective + problem.locked_objective >= bound - 1e-6
            )
    elif not problem.request:
        optimal, bound = True, float(problem.locked_objective)
    objective = state.objective + problem.locked_objective
    if bound is not None:
        # The priorities are whole numbers: so is the best objective.
        bound = float(max(objective, int(bound + 1e-6)))
    return Schedule(
        _meetings(problem, state),
        objective,
        time.perf_counter() - started,
        optimal=optimal or (bound is not None and objective >= bound),
        bound=bound,
        method=method,
    )


def exact_schedule(instance: Instance, *, time_limit: float | None = None) -> Schedule:
    """The schedule the solver proves best (a reference for tests and benchmarks); with a time
    limit, the best one found and the bound reached so far."""
    started = time.perf_counter()
    problem = _problem(instance)
    state = _greedy(problem)
    deadline = None if time_limit is None else started + time_limit
    solved = _solve(problem, list(state.slot_of), deadline, relative_gap=0.0)
    if solved is None:
        raise RuntimeError("HiGHS found no schedule")
    checked = _valid_slots(problem, solved.slot_of)
    if checked is None:
        raise RuntimeError("HiGHS returned a schedule that breaks a rule")
    objective = checked.objective + problem.locked_objective
    bound = solved.bound if solved.bound is not None else None
    if bound is not None:
        bound = float(max(objective, int(bound + 1e-6)))
    return Schedule(
        _meetings(problem, checked),
        objective,
        time.perf_counter() - started,
        optimal=solved.optimal or (bound is not None and objective >= bound),
        bound=bound,
        method="highs-exact",
    )


# ---------------------------------------------------------------------------------------------
# The independent check


def check(instance: Instance, result: Schedule) -> list[str]:
    """Every rule ``result`` breaks, one sentence each (empty when the schedule is valid).
    Written apart from the scheduler, from the instance alone, so that it checks it."""
    problems: list[str] = []
    slots = {_key(slot.id) for slot in instance.slots}
    tables = {_key(table.id) for table in instance.tables}
    people = {_key(person.id): person for person in instance.participants}
    by_request = {_key(request.id): request for request in instance.requests}
    seen: set[tuple[type, Id]] = set()
    # Which meeting (its position) holds a person's or a table's slot.
    person_slot: dict[tuple[tuple[type, Id], tuple[type, Id]], int] = {}
    table_slot: dict[tuple[tuple[type, Id], tuple[type, Id]], int] = {}
    counts: dict[tuple[type, Id], int] = {}
    objective = 0
    for position, meeting in enumerate(result.meetings):
        request = by_request.get(_key(meeting.request))
        if request is None:
            problems.append(f"meeting of unknown request {_show(meeting.request)}")
            continue
        name = _show(meeting.request)
        if _key(meeting.request) in seen:
            problems.append(f"request {name} is scheduled twice")
        seen.add(_key(meeting.request))
        objective += request.priority
        if _key(meeting.slot) not in slots:
            problems.append(f"request {name} is in unknown slot {_show(meeting.slot)}")
        if _key(meeting.table) not in tables:
            problems.append(f"request {name} is at unknown table {_show(meeting.table)}")
        other = table_slot.setdefault((_key(meeting.table), _key(meeting.slot)), position)
        if other != position:
            problems.append(
                f"table {_show(meeting.table)} has requests {_show(result.meetings[other].request)} "
                f"and {name} in slot {_show(meeting.slot)}"
            )
        for side in (request.a, request.b):
            person = people[_key(side)]
            if not _same(meeting.slot, person.available):
                problems.append(
                    f"request {name}: participant {_show(side)} "
                    f"is not available in slot {_show(meeting.slot)}"
                )
            if person.fixed_table is not None and not _equal(person.fixed_table, meeting.table):
                problems.append(
                    f"request {name} is at table {_show(meeting.table)}, "
                    f"participant {_show(side)} keeps table {_show(person.fixed_table)}"
                )
            first = person_slot.setdefault((_key(side), _key(meeting.slot)), position)
            if first != position:
                problems.append(
                    f"participant {_show(side)} has requests {_show(result.meetings[first].request)} "
                    f"and {name} in slot {_show(meeting.slot)}"
                )
            counts[_key(side)] = counts.get(_key(side), 0) + 1
    for key, count in counts.items():
        person = people[key]
        if count > person.max_meetings:
            problems.append(
                f"participant {_show(person.id)} has {count} meetings, more than {person.max_meetings}"
            )
    placed = {_key(meeting.request): meeting for meeting in result.meetings}
    for locked in instance.locked:
        kept = placed.get(_key(locked.request))
        if kept is None or not (_equal(kept.slot, locked.slot) and _equal(kept.table, locked.table)):
            problems.append(
                f"locked request {_show(locked.request)} is not in slot {_show(locked.slot)} "
                f"at table {_show(locked.table)}"
            )
    if objective != result.objective:
        problems.append(f"the objective is {result.objective}, the meetings' priorities sum to {objective}")
    return problems


def schedule_to_json(instance: Instance, result: Schedule) -> dict[str, Any]:
    """The command's output: the meetings with the instance's ids, the requests left out, and
    the figures of the run."""
    placed = {_key(meeting.request) for meeting in result.meetings}
    return {
        "meetings": [
            {"request": meeting.request, "slot": meeting.slot, "table": meeting.table}
            for meeting in result.meetings
        ],
        "unscheduled": [request.id for request in instance.requests if _key(request.id) not in placed],
        "objective": result.objective,
        "bound": result.bound,
        "optimal": result.optimal,
        "method": result.method,
        "seconds": round(result.seconds, 3),
    }
