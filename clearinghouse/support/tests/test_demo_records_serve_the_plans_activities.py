"""The demo's needs and support records name action-plan activities the plan has, as its text puts
them, and only a share of the records: topics no activity speaks of serve none."""

from __future__ import annotations

import json
from pathlib import Path

from clearinghouse.core.demo import demo_data
from clearinghouse.needs.demo_records import NEED_ACTIVITIES, REQUEST_ACTIVITIES
from clearinghouse.support.demo_records import TOPIC_ACTIVITIES, TYPE_ACTIVITIES

PLAN = Path(__file__).resolve().parents[2] / "plan" / "data" / "translations" / "en.json"


def _plan() -> dict[str, str]:
    """Each activity's text in English, by number."""
    activities = json.loads(PLAN.read_text(encoding="utf-8"))["activities"]
    return {number: str(activity["text"]) for number, activity in activities.items()}


def test_the_activities_are_the_plans_own_words_for_each_kind_of_record() -> None:
    plan = _plan()
    # What each number says is what the records of that kind do.
    assert "register their capacity-building" in plan[str(*NEED_ACTIVITIES)]
    assert "matching of requests" in plan[str(*REQUEST_ACTIVITIES)]
    assert "matchmaking" in plan[str(*TYPE_ACTIVITIES["offers"])].lower()
    assert "training institutions and networks" in plan[str(*TYPE_ACTIVITIES["experts"])]
    assert "training materials" in plan[str(*TOPIC_ACTIVITIES["resources"]["pollinators"])]


def test_only_a_share_of_the_resources_and_initiatives_serve_an_activity() -> None:
    plan = _plan()
    data = demo_data("clearinghouse.support", "demo-support.yaml")
    assert set(TYPE_ACTIVITIES) <= set(data)
    for kind, by_topic in TOPIC_ACTIVITIES.items():
        topics = [row["topic"] for row in data[kind]]
        # A topic named here that no record has would be a typo, silently serving nothing.
        assert set(by_topic) <= set(topics), set(by_topic) - set(topics)
        assert all(str(number) in plan for numbers in by_topic.values() for number in numbers)
        served = sum(topic in by_topic for topic in topics)
        assert len(topics) // 2 <= served < len(topics), (kind, served, len(topics))
