"""The demo is a living clearing-house: `loaddemo` gives Parties and organisations of every
region records in the six languages, of every support type, at every step of review and of
matchmaking, and loading it again changes nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from io import StringIO

import pytest
from django.core.management import call_command

from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.matchmaking import demo_stages
from clearinghouse.matchmaking.models import CaseState, Match, MatchState
from clearinghouse.needs import demo_records as needs_demo
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing.models import Record, State
from clearinghouse.support import demo_records as support_demo
from clearinghouse.support.models import RECORD_MODELS
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


def _live(models: Iterable[type[Record]]) -> list[Record]:
    return [record for model in models for record in model._default_manager.filter(live=True)]


@pytest.fixture
def demo(db: None) -> str:
    # Test settings name the test server as a host; the demo people are harmless here.
    out = StringIO()
    call_command("loadreference", stdout=out)
    call_command("importplan", PLAN_FILE, stdout=out)
    call_command("loaddemo", "--allow-production", stdout=out)
    return out.getvalue()


def test_the_demo_is_a_living_clearing_house(demo: str) -> None:
    needs, support = _live([Need, Request]), _live(RECORD_MODELS)
    records = needs + support
    assert len(needs) >= 60
    assert len(support) >= 150
    assert {type(record) for record in support} == set(RECORD_MODELS)
    assert len({record.owner_country_id for record in records if record.owner_country_id}) >= 40
    # Parties of every UN regional group.
    regions = Country.objects.filter(pk__in={record.owner_country_id for record in records})
    assert set(regions.values_list("regional_group", flat=True)) == set(RegionalGroup.values)
    assert len({record.owner_organisation_id for record in records if record.owner_organisation_id}) >= 30

    originals = Counter(record.original_language for record in records)
    assert set(originals) == LANGUAGES
    assert min(originals.values()) >= len(records) / 10
    untranslated = [record.identifier for record in records if len(record.title) < 3]  # type: ignore[attr-defined]
    assert untranslated == []

    # Reviewers have work: records wait in every state of review.
    states = {
        record.state for model in [Need, Request, *RECORD_MODELS] for record in model._default_manager.all()
    }
    assert {State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED} <= states
    assert set(Match.objects.values_list("state", flat=True)) == set(MatchState.values)
    assert set(Match.objects.values_list("case__state", flat=True)) >= {
        CaseState.IN_MATCHMAKING,
        CaseState.CLOSED,
    }

    counts = (Need.objects.count(), Request.objects.count(), len(_live(RECORD_MODELS)), Match.objects.count())
    needs_demo.load(), support_demo.load(), demo_stages.load()
    assert (
        Need.objects.count(),
        Request.objects.count(),
        len(_live(RECORD_MODELS)),
        Match.objects.count(),
    ) == counts
