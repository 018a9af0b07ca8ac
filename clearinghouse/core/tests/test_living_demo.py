"""The demo's data files: records written in the six languages and titled in three, matches at
every stage. The loaded demo is checked as a whole in tests/test_demo.py."""

from __future__ import annotations

from collections import Counter

from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.matchmaking.models import MatchState
from clearinghouse.vocabularies.demo import topics

LANGUAGES = {code for code, _label in LANGUAGE_CHOICES}
PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"


def _rows() -> list[dict[str, object]]:
    needs = demo_data("clearinghouse.needs", "demo-needs.yaml")
    support = demo_data("clearinghouse.support", "demo-support.yaml")
    return [*needs["needs"], *needs["requests"], *(row for rows in support.values() for row in rows)]


def test_every_demo_record_in_the_data_files_is_written_in_one_language_and_titled_in_three() -> None:
    rows = _rows()
    originals = Counter(next(iter(row["title"])) for row in rows)  # type: ignore[call-overload]
    assert set(originals) == LANGUAGES
    # Each language, Arabic and Chinese included, has at least a sixth less a little.
    assert min(originals.values()) >= len(rows) * 0.14
    for row in rows:
        titles = row["title"]
        assert isinstance(titles, dict) and set(titles) <= LANGUAGES and len(titles) >= 3, titles
        assert all(str(text).strip() for text in titles.values()), titles
        assert "topic" not in row or row["topic"] in topics()
        # Every field has a value: a comma in an unquoted text would have cut it short.
        assert all(value not in (None, "") for value in row.values()), row


def test_the_demo_matches_name_every_stage() -> None:
    scenes = demo_data("clearinghouse.matchmaking", "demo-matches.yaml")
    for scene in scenes["matches"]:
        for item in scene.get("cooperation", {}).get("contributions", []):
            assert set(item) == {"by", "amount", "currency", "kind", "covers"} and all(item.values()), item
    assert {scene["stage"] for scene in scenes["matches"]} == set(MatchState.values)
