"""A source's CHM-shaped answer becomes public records of the mapped type, found again by the
source's identifier: a second run updates (when the source's revision changed), never
duplicates; what the source drops or deletes is withdrawn, and comes back when listed again."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.harvest import services
from clearinghouse.harvest.models import HarvestedRecord, Run
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Expert, Initiative, Resource

from .conftest import DATA, Answer, FakeClearingHouse, make_source

pytestmark = pytest.mark.usefixtures("vocabularies")

REEF = "7C1F4E2A-3B5D-4A9E-9F21-6D8B0C3E5A17"
FOREST = "A91D6B3C-0E2F-4C5A-8B7D-1F3E5A7C9B20"
TAXONOMY = "B3E8F1A2-6C4D-4E9B-A0F7-5D2C8B1E3A64"


def listing() -> dict[str, Any]:
    return json.loads((DATA / "chm-initiatives.json").read_text())


def serve_listing(house: FakeClearingHouse, payload: dict[str, Any]) -> None:
    house.serve("/api/v2013/documents", Answer(body=json.dumps(payload).encode()))


def harvested(identifier: str) -> Initiative:
    row = HarvestedRecord.objects.get(source_identifier=identifier)
    return Initiative.objects.get(identifier=row.identifier)


def test_a_listing_of_documents_becomes_public_initiatives_in_their_languages(
    world: World, house: FakeClearingHouse, django_capture_on_commit_callbacks: Any
) -> None:
    source = make_source(world, house.serve("/api/v2013/documents", "chm-initiatives.json"))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.harvest(source)
    assert (run.outcome, run.fetched, run.created, run.refused) == (Run.Outcome.DONE, 3, 3, 0)
    reef = harvested(REEF)
    assert reef.live and reef.state == State.PUBLISHED
    assert reef.owner_organisation == world.international and reef.created_by is None
    assert reef.title["fr"].startswith("Formation du réseau") and set(reef.title) == {"en", "fr", "es"}
    assert reef.original_language == "en"
    assert "<strong>coral reef survey</strong>" in reef.description["en"]
    assert sorted(country.code for country in reef.countries.all()) == ["KE", "TZ"]
    assert sorted(term.code for term in reef.gbf_targets.all()) == ["GBF-T20", "GBF-T3"]
    assert [term.code for term in reef.aichi_targets.all()] == ["AICHI-T10"]
    assert [term.code for term in reef.subjects.all()] == ["SUBJ-MARINE-COASTAL"]
    assert (reef.start_date, reef.end_date, reef.status) == (date(2025, 6, 1), date(2030, 5, 31), "ongoing")
    assert (str(reef.funding_amount), reef.currency) == ("1250000.00", "USD")
    assert reef.lessons["en"].startswith("<p>Pair each trainee")
    forest = harvested(FOREST)
    assert forest.original_language == "ar" and "الغابات" in forest.title["ar"]
    taxonomy = harvested(TAXONOMY)
    # Its end date has passed: completed, whatever the source's own status term.
    assert taxonomy.status == "completed" and taxonomy.title["zh"] == "青年研究人员分类学学校"
    row = HarvestedRecord.objects.get(source_identifier=REEF)
    assert (
        row.original_url == f"https://chm.cbd.int/database/{REEF}"
        and row.version == "2|2026-02-11T14:05:10.000Z"
    )


def test_a_second_run_updates_only_what_the_source_revised_and_never_duplicates(
    world: World, house: FakeClearingHouse
) -> None:
    payload = listing()
    serve_listing(house, payload)
    source = make_source(world, house.url("/api/v2013/documents"))
    services.harvest(source)
    again = services.harvest(source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # Still listed: vouched for by its source, never stale.
    assert all(initiative.confirmed_at is not None for initiative in Initiative.objects.all())
    assert Initiative.objects.count() == 3 and HarvestedRecord.objects.count() == 3

    # A change without a new revision is not applied; a new revision is.
    payload["Items"][1]["body"]["title"]["en"] = "Renamed without a revision"
    payload["Items"][0]["body"]["title"]["en"] = "Western Indian Ocean reef monitoring network"
    payload["Items"][0]["revision"] = 3
    payload["Items"][0]["updatedOn"] = "2026-06-01T10:00:00.000Z"
    serve_listing(house, payload)
    third = services.harvest(source)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    reef = harvested(REEF)
    assert reef.title["en"] == "Western Indian Ocean reef monitoring network" and reef.live
    assert reef.live_revision_number == 2
    assert harvested(FOREST).title["en"] == "Community forest management training programme in East Africa"
    assert Initiative.objects.count() == 3


def test_what_the_source_drops_or_deletes_is_withdrawn_and_comes_back_when_listed_again(
    world: World, house: FakeClearingHouse
) -> None:
    payload = listing()
    serve_listing(house, payload)
    source = make_source(world, house.url("/api/v2013/documents"))
    services.harvest(source)

    dropped = {**payload, "Items": [payload["Items"][0], payload["Items"][2]]}
    dropped["Items"][1] = {**payload["Items"][2], "deletedOn": "2026-06-02T08:00:00.000Z"}
    serve_listing(house, dropped)
    run = services.harvest(source)
    assert (run.withdrawn, run.unchanged) == (2, 1)
    for identifier in (FOREST, TAXONOMY):
        record = harvested(identifier)
        assert not record.live and record.state == State.ARCHIVED  # kept, never deleted
        assert HarvestedRecord.objects.get(source_identifier=identifier).withdrawn
    assert harvested(REEF).live

    serve_listing(house, payload)
    back = services.harvest(source)
    assert back.updated == 2 and back.withdrawn == 0
    assert all(harvested(identifier).live for identifier in (REEF, FOREST, TAXONOMY))
    assert Initiative.objects.count() == 3


def test_a_search_index_answer_is_harvested_with_the_address_it_gives(
    world: World, house: FakeClearingHouse
) -> None:
    source = make_source(world, house.serve("/api/v2013/index", "chm-index.json"), record_url="")
    run = services.harvest(source)
    assert (run.created, run.refused) == (1, 0)
    course = harvested("D5A1C3E7-9B2F-4D6A-8E0C-1B3D5F7A9C2E")
    assert set(course.title) == {"ar", "en", "es", "fr"} and course.title["es"].startswith("Bioseguridad")
    assert course.description["fr"].startswith("Un cours de deux semaines")
    assert [term.code for term in course.gbf_targets.all()] == ["GBF-T17"]
    assert [term.code for term in course.subjects.all()] == ["SUBJ-BIOSAFETY"]
    row = HarvestedRecord.objects.get(identifier=course.identifier)
    assert row.original_url == "https://chm.cbd.int/database/record/255628"
    assert row.version == "2025-12-01T09:30:00Z"


def test_resources_and_experts_have_their_mappings(world: World, house: FakeClearingHouse) -> None:
    resources = make_source(
        world, house.serve("/resources", "chm-resources.json"), mapping="chm-resource", name="CHM library"
    )
    run = services.harvest(resources)
    assert (run.created, run.refused) == (1, 1)
    guide = Resource.objects.get()
    assert guide.kind == "guide" and guide.year == 2025 and guide.title["es"].startswith("Guía")
    assert guide.publisher == "Western Indian Ocean Marine Science Association"
    assert [problem.code for problem in run.problems.all()] == ["unknown_kind"]

    experts = make_source(
        world, house.serve("/experts", "bch-experts.json"), mapping="bch-expert", name="BCH roster"
    )
    run = services.harvest(experts)
    assert (run.created, run.refused) == (1, 1)
    expert = Expert.objects.get()
    assert expert.name == "Lucía Mendoza Quispe" and expert.email == ""  # the e-mail is not harvested
    assert not expert.consent_to_publish and expert.languages == ["es", "en", "qu"]
    assert [term.code for term in expert.subjects.all()] == ["SUBJ-BIOSAFETY"]
    assert expert.title["en"].startswith("Specialist in risk assessment")
    assert run.problems.get().params == {"field": "lastName"}
