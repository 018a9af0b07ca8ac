"""A source's listing may come in pages (a search index answer's numFound and start, an Atom
feed's rel="next"): it is read to its end, and a listing cut short fails the run and withdraws
nothing, since what it does not reach would otherwise be taken for dropped."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import override_settings

from clearinghouse.core.testing import World
from clearinghouse.harvest import messages, services
from clearinghouse.harvest.models import HarvestedRecord, Run
from clearinghouse.harvest.tests.conftest import DATA, Answer, FakeClearingHouse, make_source
from clearinghouse.support.models import Initiative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabularies")]

INDEX = "/api/v2013/index/select?q=schema_s%3AcapacityBuildingInitiative&rows=2"
ATOM = {"Content-Type": "application/atom+xml"}


def _docs(count: int) -> list[dict[str, Any]]:
    model = json.loads((DATA / "chm-index.json").read_text())["response"]["docs"][0]
    docs = []
    for number in range(count):
        doc = copy.deepcopy(model)
        doc["identifier_s"] = f"D5A1C3E7-9B2F-4D6A-8E0C-{number:012d}"
        doc["title_EN_s"] = f"Biosafety short course, edition {number}"
        docs.append(doc)
    return docs


def _serve_index(house: FakeClearingHouse, docs: list[dict[str, Any]], *, rows: int = 2) -> str:
    """The index answers for every page of ``docs``, at the addresses Solr paging gives."""
    for start in range(0, len(docs), rows):
        path = INDEX if start == 0 else f"{INDEX}&start={start}"
        page = {"response": {"numFound": len(docs), "start": start, "docs": docs[start : start + rows]}}
        house.serve(path, Answer(body=json.dumps(page).encode()))
    return house.url(INDEX)


def test_every_page_of_an_index_answer_is_harvested(world: World, house: FakeClearingHouse) -> None:
    source = make_source(world, _serve_index(house, _docs(5)), record_url="")
    run = services.harvest(source)
    assert (run.outcome, run.fetched, run.created, run.refused) == (Run.Outcome.DONE, 5, 5, 0)
    assert Initiative.objects.filter(title__en__startswith="Biosafety short course").count() == 5


def test_a_listing_longer_than_the_pages_allowed_fails_and_withdraws_nothing(
    world: World, house: FakeClearingHouse
) -> None:
    source = make_source(world, _serve_index(house, _docs(5)), record_url="")
    assert services.harvest(source).created == 5
    with override_settings(HARVEST_MAX_PAGES=2):
        run = services.harvest(source)
    assert run.outcome == Run.Outcome.FAILED and run.failure == "too_many_pages"
    assert messages.text(run.failure, run.failure_params) == (
        "The listing runs past 2 pages; nothing was changed."
    )
    # The records of the third page, never reached, are still public.
    assert HarvestedRecord.objects.filter(withdrawn=False).count() == 5
    assert Initiative.objects.filter(live=True).count() == 5


def test_a_next_page_elsewhere_or_in_a_loop_fails_the_run(world: World, house: FakeClearingHouse) -> None:
    feed = (DATA / "node-feed.atom").read_text()
    elsewhere = feed.replace(
        '<link rel="self"',
        '<link rel="next" href="https://elsewhere.example/feed.atom?page=2"/>\n  <link rel="self"',
    )
    source = make_source(world, house.serve("/feed.atom", Answer(body=elsewhere.encode(), headers=ATOM)))
    run = services.harvest(source)
    assert (run.outcome, run.failure) == (Run.Outcome.FAILED, "redirect_other_host")
    assert run.failure_params["host"] == "elsewhere.example"

    looping = feed.replace('<link rel="self"', '<link rel="next" href="/feed.atom"/>\n  <link rel="self"')
    house.serve("/feed.atom", Answer(body=looping.encode(), headers=ATOM))
    run = services.harvest(source)
    assert (run.outcome, run.failure) == (Run.Outcome.FAILED, "page_loop")
    assert not Initiative.objects.exists()


def test_an_atom_feed_is_followed_to_its_last_page(world: World, house: FakeClearingHouse) -> None:
    feed = (DATA / "node-feed.atom").read_text()
    first, second = feed.split("  <entry xml:lang=")
    first_page = first.replace(
        '<link rel="self"', '<link rel="next" href="/feed.atom?page=2"/>\n  <link rel="self"'
    )
    second_page = first.split("  <entry>")[0] + "  <entry xml:lang=" + second
    house.serve("/feed.atom?page=2", Answer(body=second_page.encode(), headers=ATOM))
    source = make_source(
        world,
        house.serve("/feed.atom", Answer(body=(first_page + "</feed>\n").encode(), headers=ATOM)),
        name="CHM du Bénin",
        record_url="",
    )
    run = services.harvest(source)
    assert (run.outcome, run.fetched, run.created) == (Run.Outcome.DONE, 2, 2)
    titles = {text for (title,) in Initiative.objects.values_list("title") for text in title.values()}
    assert titles == {
        "Formation des agents forestiers à l'inventaire des forêts sacrées",
        "Pendjari ranger exchange",
    }
