"""Seeded round-table instances for the scheduler's tests and benchmark, in the JSON format of
``schedule-meetings``.

Shaped like a real matchmaking round table: about a third of the participants are providers,
and they are asked for far more often than seekers (a few are very popular); most requests go
from a seeker to a provider, some between two seekers or two providers. Each person is available
in 60–100 % of the slots and accepts 4–10 meetings; a third of the providers keep a fixed table;
priorities lean towards the low end (1: 45 %, 2: 35 %, 3: 20 %); a few meetings are locked.
"""

from __future__ import annotations

import random
from typing import Any

from clearinghouse.events.scheduling import Id, Instance, parse_instance, schedule

PROVIDER_SHARE = 0.3
FIXED_TABLE_SHARE = 0.35
PRIORITY_WEIGHTS = ((1, 45), (2, 35), (3, 20))
LOCKED_SHARE = 0.03


def generate(
    participants: int,
    slots: int,
    requests: int,
    seed: int,
    *,
    tables: int | None = None,
    locked: bool = True,
) -> dict[str, Any]:
    """A round table of ``participants`` people, ``slots`` slots and ``requests`` distinct
    requests (fewer if the pairs run out), the same for the same arguments."""
    generator = random.Random(seed)  # noqa: S311  # nosec B311  # test data, not a secret
    slot_ids = [f"s{number}" for number in range(1, slots + 1)]
    providers = max(1, round(participants * PROVIDER_SHARE))
    table_count = tables if tables is not None else max(2, participants // 3)
    people: list[dict[str, Any]] = []
    fixed_tables = iter(range(1, table_count + 1))
    for number in range(participants):
        role = "provider" if number < providers else "seeker"
        share = generator.uniform(0.6, 1.0)
        available = sorted(generator.sample(slot_ids, max(1, round(share * slots))), key=slot_ids.index)
        person: dict[str, Any] = {
            "id": f"p{number + 1}",
            "role": role,
            "available": available,
            "max_meetings": generator.randint(4, 10),
        }
        if role == "provider" and generator.random() < FIXED_TABLE_SHARE:
            table = next(fixed_tables, None)
            if table is not None:
                person["fixed_table"] = table
        people.append(person)
    provider_ids = [person["id"] for person in people[:providers]]
    seeker_ids = [person["id"] for person in people[providers:]] or provider_ids
    # Popularity: a long tail, a few providers asked by many.
    provider_weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(provider_ids))]
    generator.shuffle(provider_weights)
    pairs: set[frozenset[str]] = set()
    chosen: list[dict[str, Any]] = []
    attempts = 0
    while len(chosen) < requests and attempts < requests * 20:
        attempts += 1
        kind = generator.random()
        if kind < 0.85:
            a = generator.choice(seeker_ids)
            b = generator.choices(provider_ids, provider_weights)[0]
        elif kind < 0.95 and len(seeker_ids) > 1:
            a, b = generator.sample(seeker_ids, 2)
        else:
            a, b = generator.choices(provider_ids, provider_weights, k=2)
        pair = frozenset((a, b))
        if a == b or pair in pairs:
            continue
        pairs.add(pair)
        priority = generator.choices(
            [value for value, _ in PRIORITY_WEIGHTS], [weight for _, weight in PRIORITY_WEIGHTS]
        )[0]
        chosen.append({"id": len(chosen) + 1, "a": a, "b": b, "priority": priority})
    data: dict[str, Any] = {
        "event": f"Round table {seed}",
        "slots": [
            {"id": slot, "start": f"09:{number:02d}", "end": f"09:{number:02d}"}
            for number, slot in enumerate(slot_ids)
        ],
        "tables": [{"id": number} for number in range(1, table_count + 1)],
        "participants": people,
        "requests": chosen,
        "locked": [],
    }
    if locked:
        data["locked"] = _some_locked(data, generator)
    return data


def _some_locked(data: dict[str, Any], generator: random.Random) -> list[dict[str, Id]]:
    """A few meetings of a valid schedule of the instance, locked where that schedule put them."""
    instance: Instance = parse_instance(data)
    found = schedule(instance, time_limit=0.0)
    meetings = list(found.meetings)
    generator.shuffle(meetings)
    count = round(len(data["requests"]) * LOCKED_SHARE)
    return [
        {"request": meeting.request, "slot": meeting.slot, "table": meeting.table}
        for meeting in meetings[:count]
    ]
