"""The meeting scheduler of round tables: reading instances, the rules every schedule keeps,
how close it comes to the optimum, and the ``schedule-meetings`` command. No database."""

from __future__ import annotations

import copy
import itertools
import json
import random
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from clearinghouse.events import scheduling
from clearinghouse.events.scheduling import (
    Instance,
    InstanceError,
    Meeting,
    Schedule,
    check,
    exact_schedule,
    parse_instance,
    schedule,
)
from clearinghouse.events.scheduling_instances import generate


def small() -> dict[str, Any]:
    """Two slots, two tables; the provider p1 keeps table 1."""
    return {
        "event": "Round table",
        "slots": [
            {"id": "s1", "start": "09:00", "end": "09:20"},
            {"id": "s2", "start": "09:20", "end": "09:40"},
        ],
        "tables": [{"id": 1}, {"id": 2}],
        "participants": [
            {"id": "p1", "role": "provider", "available": ["s1", "s2"], "max_meetings": 2, "fixed_table": 1},
            {"id": "p2", "role": "provider", "available": ["s1", "s2"], "max_meetings": 2},
            {"id": "q1", "role": "seeker", "available": ["s1", "s2"], "max_meetings": 2},
            {"id": "q2", "role": "seeker", "available": ["s2"], "max_meetings": 1},
        ],
        "requests": [
            {"id": 1, "a": "q1", "b": "p1", "priority": 3},
            {"id": 2, "a": "q2", "b": "p1", "priority": 2},
            {"id": 3, "a": "q1", "b": "p2", "priority": 1},
            {"id": "r4", "a": "q2", "b": "p2", "priority": 1},
        ],
        "locked": [],
    }


def broken(change: str) -> dict[str, Any]:
    """``small()`` edited by ``change``, a line of Python over ``data``; ``lock(("r", "s", "t"), ...)``
    sets the locked meetings."""
    data = small()

    def lock(*meetings: tuple[Any, Any, Any]) -> None:
        data["locked"] = [{"request": r, "slot": s, "table": t} for r, s, t in meetings]

    exec(change, {"data": data, "lock": lock})  # noqa: S102  # the test's own one-line edits
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("data.clear()", 'The instance has no "slots" list.'),
        ("data['slots'] = 3", '"slots" must be a list.'),
        ("data['requests'].append('r9')", 'Item 5 of "requests" must be an object.'),
        ("data['tables'].append({'id': True})", 'Item 3 of "tables" has no valid "id"'),
        ("data['slots'].append({'id': 's1'})", 'The id "s1" appears twice in "slots".'),
        ("data['requests'][3]['id'] = 3", 'The id 3 appears twice in "requests".'),
        ("data['participants'][0]['role'] = 'host'", 'Participant "p1" has the unknown role "host"'),
        (
            "data['participants'][1]['available'].append('s9')",
            'Participant "p2" is available in the unknown slot "s9".',
        ),
        ("data['participants'][1]['max_meetings'] = -1", 'Participant "p2" has no valid max_meetings'),
        ("data['participants'][1]['fixed_table'] = 7", 'Participant "p2" keeps the unknown table 7.'),
        ("data['requests'][0]['b'] = 'p9'", 'Request 1 names the unknown participant "p9".'),
        ("data['requests'][0]['b'] = 'q1'", 'Request 1 would have participant "q1" meet themself.'),
        ("data['requests'][0]['priority'] = 4", "Request 1 has the priority 4; it must be 1, 2 or 3."),
        ("data['requests'][0]['priority'] = '3'", 'Request 1 has the priority "3"; it must be 1, 2 or 3.'),
        ("lock((9, 's1', 1))", "Locked meeting 1 names the unknown request 9."),
        ("lock((1, 's7', 1))", 'Locked meeting 1 is in the unknown slot "s7".'),
        ("lock((1, 's1', 5))", "Locked meeting 1 is at the unknown table 5."),
        (
            "lock((1, 's1', 1), (1, 's2', 1))",
            "Request 1 is locked twice.",
        ),
        (
            "lock((1, 's2', 1), ('r4', 's2', 1))",
            'Table 1 has two locked meetings in slot "s2".',
        ),
        (
            "lock((1, 's1', 1), (3, 's1', 2))",
            'Participant "q1" is in two locked meetings in slot "s1".',
        ),
        (
            "lock(('r4', 's1', 2))",
            'Locked request "r4" is in slot "s1", where participant "q2" is not available.',
        ),
        (
            "lock((1, 's1', 2))",
            'Locked request 1 is at table 2, but participant "p1" keeps table 1.',
        ),
        (
            "data['participants'][2]['max_meetings'] = 1; lock((1, 's1', 1), (3, 's2', 2))",
            'Participant "q1" has more locked meetings than their maximum of 1.',
        ),
    ],
)
def test_a_broken_instance_is_refused_with_a_message_naming_the_problem(change: str, message: str) -> None:
    with pytest.raises(InstanceError) as raised:
        parse_instance(broken(change))
    assert message in str(raised.value)
    # The command translates the template: it must give the same sentence.
    assert raised.value.template % raised.value.params == str(raised.value)


def test_a_valid_instance_keeps_its_ids_as_given() -> None:
    instance = parse_instance(small())
    assert [request.id for request in instance.requests] == [1, 2, 3, "r4"]
    assert instance.participants[0].fixed_table == 1
    assert instance.event == "Round table"


def test_the_small_round_table_gets_its_best_schedule() -> None:
    instance = parse_instance(small())
    result = schedule(instance, time_limit=2)
    assert check(instance, result) == []
    # q1–p1 (3) and q2–p1 (2) share p1 and q2 is only there in s2: q1–p1 goes to s1, at p1's table.
    by_request = {meeting.request: meeting for meeting in result.meetings}
    assert by_request[1] == Meeting(1, "s1", 1)
    assert by_request[2] == Meeting(2, "s2", 1)
    # q2 may have one meeting only: r4 stays out, q1–p2 fits in s2 at the other table.
    assert by_request[3] == Meeting(3, "s2", 2)
    assert result.objective == 6
    assert result.optimal


def kinds_of_violation() -> list[tuple[list[Meeting], str]]:
    return [
        ([Meeting(9, "s1", 1)], "unknown request 9"),
        ([Meeting(1, "s1", 1), Meeting(1, "s2", 1)], "request 1 is scheduled twice"),
        ([Meeting(1, "s5", 1)], 'unknown slot "s5"'),
        ([Meeting(1, "s1", 8)], "unknown table 8"),
        ([Meeting(1, "s2", 1), Meeting(3, "s2", 1)], 'table 1 has requests 1 and 3 in slot "s2"'),
        ([Meeting(2, "s1", 1)], 'participant "q2" is not available in slot "s1"'),
        ([Meeting(1, "s1", 2)], 'participant "p1" keeps table 1'),
        ([Meeting(1, "s1", 1), Meeting(3, "s1", 2)], 'participant "q1" has requests 1 and 3 in slot "s1"'),
        (
            [Meeting(2, "s2", 1), Meeting("r4", "s2", 2)],
            'participant "q2" has requests 2 and "r4" in slot "s2"',
        ),
        ([Meeting(2, "s2", 1), Meeting(1, "s1", 1), Meeting(3, "s2", 2)], ""),
    ]


@pytest.mark.parametrize(("meetings", "problem"), kinds_of_violation())
def test_check_finds_each_kind_of_broken_rule(meetings: list[Meeting], problem: str) -> None:
    instance = parse_instance(small())
    priorities = {request.id: request.priority for request in instance.requests}
    objective = sum(priorities.get(meeting.request, 0) for meeting in meetings)
    found = check(instance, Schedule(tuple(meetings), objective, 0.0))
    if problem:
        assert any(problem in line for line in found), found
    else:
        # The last case keeps every rule: check must not cry wolf.
        assert found == []


def test_check_finds_too_many_meetings_a_moved_locked_meeting_and_a_wrong_objective() -> None:
    data = small()
    data["participants"][2]["max_meetings"] = 1
    data["locked"] = [{"request": 1, "slot": "s1", "table": 1}]
    instance = parse_instance(data)
    found = check(instance, Schedule((Meeting(1, "s2", 1), Meeting(3, "s1", 2)), 9, 0.0))
    assert any('participant "q1" has 2 meetings, more than 1' in line for line in found)
    assert any('locked request 1 is not in slot "s1" at table 1' in line for line in found)
    assert any("the objective is 9, the meetings' priorities sum to 4" in line for line in found)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("time_limit", [0.0, 1.0])
def test_generated_round_tables_get_schedules_that_keep_every_rule(seed: int, time_limit: float) -> None:
    data = generate(60, 8, 200, seed)
    instance = parse_instance(data)
    assert instance.locked, "the generator locks a few meetings: they must be tested"
    result = schedule(instance, time_limit=time_limit)
    assert check(instance, result) == []
    placed = {(meeting.request, meeting.slot, meeting.table) for meeting in result.meetings}
    for locked in instance.locked:
        assert (locked.request, locked.slot, locked.table) in placed
    held = {meeting.request for meeting in result.meetings}
    assert result.objective == sum(request.priority for request in instance.requests if request.id in held)


def test_requests_that_cannot_be_placed_are_left_out_without_error() -> None:
    data = small()
    data["tables"].append({"id": 3})
    data["participants"][1]["fixed_table"] = 3
    data["participants"].append({"id": "q3", "role": "seeker", "available": ["s1"], "max_meetings": 0})
    data["participants"].append({"id": "q4", "role": "seeker", "available": ["s1"], "max_meetings": 3})
    data["requests"] += [
        # Two different fixed tables.
        {"id": 5, "a": "p1", "b": "p2", "priority": 3},
        # Nobody to meet: q3 accepts no meeting.
        {"id": 6, "a": "q3", "b": "q1", "priority": 3},
        # No slot in common.
        {"id": 7, "a": "q4", "b": "q2", "priority": 3},
    ]
    instance = parse_instance(data)
    result = schedule(instance, time_limit=1)
    assert check(instance, result) == []
    assert {5, 6, 7}.isdisjoint(meeting.request for meeting in result.meetings)
    output = scheduling.schedule_to_json(instance, result)
    assert {5, 6, 7} <= set(output["unscheduled"])


def test_a_full_table_plan_leaves_lower_priorities_out() -> None:
    # One table, one slot, three possible meetings: only the most wanted one is held.
    data = {
        "slots": [{"id": 1}],
        "tables": [{"id": "T"}],
        "participants": [
            {"id": person, "role": "seeker", "available": [1], "max_meetings": 1} for person in "abcdef"
        ],
        "requests": [
            {"id": "ab", "a": "a", "b": "b", "priority": 1},
            {"id": "cd", "a": "c", "b": "d", "priority": 3},
            {"id": "ef", "a": "e", "b": "f", "priority": 2},
        ],
    }
    instance = parse_instance(data)
    result = schedule(instance, time_limit=1)
    assert result.meetings == (Meeting("cd", 1, "T"),)
    assert result.objective == 3


def brute_force(instance: Instance) -> int:
    """The best objective by trying every (slot, table) or nothing for every request, pruned by
    the rules as it goes: independent of the scheduler's model."""
    people = {person.id: person for person in instance.participants}
    places = [(slot.id, table.id) for slot in instance.slots for table in instance.tables]
    busy: set[tuple[Any, Any]] = set()
    tables: set[tuple[Any, Any]] = set()
    counts = dict.fromkeys(people, 0)
    base = 0
    for locked in instance.locked:
        request = next(request for request in instance.requests if request.id == locked.request)
        base += request.priority
        busy |= {(request.a, locked.slot), (request.b, locked.slot)}
        tables.add((locked.table, locked.slot))
        counts[request.a] += 1
        counts[request.b] += 1
    locked_ids = {locked.request for locked in instance.locked}
    free = [request for request in instance.requests if request.id not in locked_ids]
    best = 0

    def fits(request: Any, slot: Any, table: Any) -> bool:
        for side in (request.a, request.b):
            person = people[side]
            if slot not in person.available or (side, slot) in busy or counts[side] >= person.max_meetings:
                return False
            if person.fixed_table is not None and person.fixed_table != table:
                return False
        return (table, slot) not in tables

    def explore(position: int, total: int) -> None:
        nonlocal best
        if total + sum(request.priority for request in free[position:]) <= best:
            return
        if position == len(free):
            best = total
            return
        request = free[position]
        for slot, table in places:
            if fits(request, slot, table):
                busy.update({(request.a, slot), (request.b, slot)})
                tables.add((table, slot))
                counts[request.a] += 1
                counts[request.b] += 1
                explore(position + 1, total + request.priority)
                busy.difference_update({(request.a, slot), (request.b, slot)})
                tables.discard((table, slot))
                counts[request.a] -= 1
                counts[request.b] -= 1
        explore(position + 1, total)

    explore(0, 0)
    return base + best


def random_small(seed: int) -> dict[str, Any]:
    """Tight little round tables: few tables, fixed tables, a locked meeting, priorities mixed."""
    generator = random.Random(seed)
    slots = [f"s{number}" for number in range(3)]
    people = []
    for number in range(6):
        person: dict[str, Any] = {
            "id": f"p{number}",
            "role": "provider" if number < 2 else "seeker",
            "available": [slot for slot in slots if generator.random() < 0.8] or [slots[0]],
            "max_meetings": generator.randint(1, 3),
        }
        if number < 2 and generator.random() < 0.6:
            person["fixed_table"] = number + 1
        people.append(person)
    pairs = list(itertools.combinations(range(6), 2))
    generator.shuffle(pairs)
    requests = [
        {"id": number, "a": f"p{a}", "b": f"p{b}", "priority": generator.randint(1, 3)}
        for number, (a, b) in enumerate(pairs[:9])
    ]
    return {
        "slots": [{"id": slot} for slot in slots],
        "tables": [{"id": 1}, {"id": 2}],
        "participants": people,
        "requests": requests,
    }


@pytest.mark.parametrize("seed", range(12))
def test_small_round_tables_reach_the_optimum_found_by_brute_force(seed: int) -> None:
    data = random_small(seed)
    # Lock the first meeting that the scheduler itself places, to cover locked meetings too.
    first = schedule(parse_instance(data), time_limit=0).meetings
    if first:
        data["locked"] = [{"request": first[0].request, "slot": first[0].slot, "table": first[0].table}]
    instance = parse_instance(data)
    result = schedule(instance, time_limit=2)
    assert check(instance, result) == []
    assert result.objective == brute_force(instance)


@pytest.mark.parametrize("seed", [11, 12])
def test_a_medium_round_table_comes_within_one_percent_of_the_exact_optimum(seed: int) -> None:
    instance = parse_instance(generate(120, 12, 500, seed))
    exact = exact_schedule(instance)
    assert exact.optimal
    assert check(instance, exact) == []
    result = schedule(instance, time_limit=2)
    assert check(instance, result) == []
    assert result.objective >= 0.99 * exact.objective
    assert result.bound is not None
    assert result.bound >= exact.objective


def test_without_the_solver_the_first_schedule_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = parse_instance(generate(60, 8, 200, 5))
    monkeypatch.setattr(scheduling, "_solve", lambda *args, **kwargs: None)
    result = schedule(instance, time_limit=1)
    assert result.method == "heuristic"
    assert result.objective > 0
    assert check(instance, result) == []


def test_a_solver_answer_that_breaks_a_rule_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = parse_instance(generate(60, 8, 200, 6))
    # Every request in the first slot it may use: people and tables double-booked.
    monkeypatch.setattr(
        scheduling,
        "_solve",
        lambda problem, *_, **__: scheduling._Solved([usable[0] for usable in problem.slots], True, None),
    )
    result = schedule(instance, time_limit=1)
    assert result.method == "heuristic"
    assert check(instance, result) == []


def run_command(*arguments: str) -> str:
    output = StringIO()
    call_command("schedule-meetings", *arguments, stdout=output)
    return output.getvalue()


def test_the_command_writes_the_schedule_and_ends_with_its_figures(tmp_path: Path) -> None:
    data = generate(40, 6, 120, 3)
    source = tmp_path / "round-table.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "schedule.json"
    printed = run_command(str(source), "--output", str(target), "--time-limit", "2")
    last = printed.strip().splitlines()[-1]
    match = re.fullmatch(r"scheduled=(\d+) objective=(\d+) seconds=(\d+\.\d+)", last)
    assert match, last
    written = json.loads(target.read_text(encoding="utf-8"))
    assert int(match[1]) == len(written["meetings"])
    assert int(match[2]) == written["objective"]
    instance = parse_instance(data)
    meetings = tuple(Meeting(item["request"], item["slot"], item["table"]) for item in written["meetings"])
    assert check(instance, Schedule(meetings, written["objective"], 0.0)) == []
    # Ids come back as the instance gave them: numbers for requests and tables, text for slots.
    assert all(isinstance(item["request"], int) for item in written["meetings"])
    assert all(isinstance(item["slot"], str) for item in written["meetings"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ('{"slots": {}}', '"slots" must be a list.'),
        (
            json.dumps(broken("lock((1, 's1', 1), (3, 's1', 2))")),
            'Participant "q1" is in two locked meetings in slot "s1".',
        ),
    ],
)
def test_the_command_stops_on_a_broken_instance_and_writes_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "round-table.json"
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "schedule.json"
    with pytest.raises(CommandError, match=re.escape(message)):
        run_command(str(source), "--output", str(target))
    assert not target.exists()


def test_the_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run_command(str(tmp_path / "missing.json"), "--output", str(tmp_path / "out.json"))
    assert not (tmp_path / "out.json").exists()


def test_parsing_does_not_change_the_data() -> None:
    data = small()
    kept = copy.deepcopy(data)
    parse_instance(data)
    assert data == kept


def test_the_command_speaks_the_active_language(tmp_path: Path) -> None:
    source = tmp_path / "round-table.json"
    source.write_text(json.dumps(broken("data['requests'][0]['priority'] = 5")), encoding="utf-8")
    with translation.override("fr"), pytest.raises(CommandError) as raised:
        run_command(str(source), "--output", str(tmp_path / "out.json"))
    assert str(raised.value) == "La demande 1 a la priorité 5 ; elle doit être 1, 2 ou 3."
