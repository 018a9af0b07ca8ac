"""The demo's events file: written in the six languages, of every kind, with participants whose
addresses no real person can receive. The loaded events are checked in tests/test_demo.py."""

from __future__ import annotations

from collections import Counter
from typing import Any

from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.events.models import (
    EventKind,
)

PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = demo_data("clearinghouse.events", "demo-events.yaml")["events"]
    return rows


def test_every_demo_event_is_written_in_one_language_and_titled_in_two_more() -> None:
    rows = _rows()
    originals = Counter(next(iter(row["title"])) for row in rows)
    assert set(originals) == set(CONTENT_LANGUAGES)
    for row in rows:
        titles = row["title"]
        assert set(titles) <= set(CONTENT_LANGUAGES) and len(titles) >= 3, titles
        assert all(text.strip() for text in titles.values()), titles
        assert row["description"].strip()
    assert {row["kind"] for row in rows} == set(EventKind.values)


def test_demo_participants_have_addresses_no_real_person_can_receive() -> None:
    people = demo_data("clearinghouse.events", "demo-events.yaml")["people"]
    assert len(people) >= 40
    assert len({facts["country"] for facts in people.values()}) >= 30
    for key, facts in people.items():
        assert key.isascii() and "@" not in key
        assert {"name", "country", "gender", "sector", "language", "organisation"} <= set(facts), key
        assert all(str(facts[name]).strip() for name in ("name", "organisation")), key
