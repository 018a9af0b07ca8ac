"""A national node's Atom feed is harvested like a CHM listing (each entry an initiative, found
again by its Atom id); XML is read with defusedxml: entities and malformed XML are refused."""

from __future__ import annotations

import pytest

from clearinghouse.core.testing import World
from clearinghouse.harvest import services
from clearinghouse.harvest.models import HarvestedRecord, Run
from clearinghouse.support.models import Initiative

from .conftest import DATA, Answer, FakeClearingHouse, make_source

pytestmark = pytest.mark.usefixtures("vocabularies")

ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>"""


def test_the_entries_become_initiatives_in_their_languages(world: World, house: FakeClearingHouse) -> None:
    feed = Answer(body=(DATA / "node-feed.atom").read_bytes(), headers=ATOM)
    source = make_source(world, house.serve("/feed.atom", feed), name="CHM du Bénin", record_url="")
    run = services.harvest(source)
    assert (run.outcome, run.created, run.refused) == (Run.Outcome.DONE, 2, 0)
    forests = Initiative.objects.get(title__fr__startswith="Formation des agents forestiers")
    assert forests.original_language == "fr" and forests.description["fr"].startswith("Ateliers de terrain")
    row = HarvestedRecord.objects.get(identifier=forests.identifier)
    assert row.original_url == "https://bj.chm-cbd.net/initiatives/41"
    rangers = Initiative.objects.get(title__en="Pendjari ranger exchange")
    assert rangers.description == {
        "en": "<p>Rangers of the Pendjari park train with their Burkinabe colleagues.</p>"
    }
    assert [problem.code for problem in run.problems.all()] == ["markup_removed"]
    again = services.harvest(source)
    assert (again.created, again.unchanged) == (0, 2) and Initiative.objects.count() == 2


def test_entities_and_malformed_xml_are_refused(world: World, house: FakeClearingHouse) -> None:
    source = make_source(world, house.serve("/feed.atom", Answer(body=LAUGHS, headers=ATOM)))
    run = services.harvest(source)
    assert run.outcome == Run.Outcome.FAILED and run.failure == "unsafe_xml"
    house.serve("/feed.atom", Answer(body=b"<feed><entry></feed>", headers=ATOM))
    run = services.harvest(source)
    assert run.failure == "malformed_xml" and run.failure_params["line"] == 1
    house.serve("/feed.atom", Answer(body=b"<rss><channel/></rss>", headers=ATOM))
    assert services.harvest(source).failure == "not_a_listing"
    assert not Initiative.objects.exists()
