"""Feeds that are malformed, huge, slow, redirect elsewhere, sit at a private address, answer
in another content type, or carry script in their fields: refused or sanitised, and the run's
log says why in the reader's language. A failed run leaves every record as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from clearinghouse.core.testing import World
from clearinghouse.harvest import services
from clearinghouse.harvest.models import HarvestedRecord, Run, Source
from clearinghouse.support.models import Initiative

from .conftest import Answer, FakeClearingHouse, make_source

pytestmark = pytest.mark.usefixtures("vocabularies")


def failed(source: Source) -> Run:
    run = services.harvest(source)
    assert run.outcome == Run.Outcome.FAILED and run.ended_at is not None
    assert (run.created, run.updated, run.withdrawn) == (0, 0, 0)
    return run


@pytest.fixture
def harvested_once(world: World, house: FakeClearingHouse) -> Source:
    source = make_source(world, house.serve("/feed", "chm-initiatives.json"))
    assert services.harvest(source).created == 3
    return source


def test_a_malformed_answer_fails_the_run_and_leaves_the_records_untouched(
    harvested_once: Source, house: FakeClearingHouse
) -> None:
    house.serve("/feed", Answer(body=b'{"Items": [{"header": {"identifier": "7C1F4E2A-3B5D",}'))
    run = failed(harvested_once)
    assert run.failure == "malformed_json" and run.failure_params == {"line": 1, "column": 54}
    assert run.failure_text == "The answer is not valid JSON (line 1, column 54)."
    # Nothing withdrawn: a listing that could not be read says nothing about what it lists.
    assert Initiative.objects.filter(live=True).count() == 3
    assert not HarvestedRecord.objects.filter(withdrawn=True).exists()


def test_an_answer_that_is_no_listing_is_refused(world: World, house: FakeClearingHouse) -> None:
    source = make_source(world, house.serve("/feed", Answer(body=b'{"hello": "world"}')))
    assert failed(source).failure == "not_a_listing"


def test_a_huge_answer_is_cut_off_while_streaming(world: World, house: FakeClearingHouse) -> None:
    # No Content-Length: the server would send 128 MB; reading stops past the 1 MB cap.
    source = make_source(world, house.serve("/feed", Answer(endless=True)))
    run = failed(source)
    assert (
        run.failure == "too_large"
        and run.failure_text == "The answer is larger than 1.0 MB; it was not read further."
    )


def test_an_answer_declared_too_large_is_not_read_at_all(world: World, house: FakeClearingHouse) -> None:
    big = Answer(body=b"[" + b" " * (2 * 1024 * 1024) + b"]")
    source = make_source(world, house.serve("/feed", big))
    assert failed(source).failure == "too_large"


def test_a_slow_server_times_out(world: World, house: FakeClearingHouse) -> None:
    source = make_source(world, house.serve("/feed", Answer(body=b"[]", delay=2.5)))
    run = failed(source)
    assert run.failure == "timeout" and run.failure_params == {"seconds": 1}


def test_a_redirect_to_another_host_is_not_followed(world: World, house: FakeClearingHouse) -> None:
    elsewhere = Answer(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    source = make_source(world, house.serve("/feed", elsewhere))
    run = failed(source)
    assert run.failure == "redirect_other_host" and run.failure_params["host"] == "169.254.169.254"


def test_a_redirect_within_the_same_host_is_followed(world: World, house: FakeClearingHouse) -> None:
    house.serve("/new-feed", "chm-initiatives.json")
    source = make_source(world, house.serve("/feed", Answer(status=301, headers={"Location": "/new-feed"})))
    assert services.harvest(source).created == 3


def test_a_private_address_is_refused_unless_allowed_by_setting(
    world: World, house: FakeClearingHouse
) -> None:
    source = make_source(world, house.serve("/feed", "chm-initiatives.json"))
    with override_settings(HARVEST_PRIVATE_HOSTS_ALLOWED=[]):
        run = failed(source)
    assert run.failure == "private_address" and run.failure_params == {
        "host": "127.0.0.1",
        "address": "127.0.0.1",
    }
    source.url = source.url.replace("127.0.0.1", "localhost")
    source.save()
    # Another name for the loopback: allowing 127.0.0.1 does not allow it.
    assert failed(source).failure == "private_address"


def test_another_content_type_is_refused(world: World, house: FakeClearingHouse) -> None:
    page = Answer(body=b"<html><body>[]</body></html>", headers={"Content-Type": "text/html; charset=utf-8"})
    source = make_source(world, house.serve("/feed", page))
    run = failed(source)
    assert (
        run.failure == "content_type"
        and run.failure_text == "The answer is text/html, neither JSON nor an Atom feed."
    )


def test_an_error_status_is_refused(world: World, house: FakeClearingHouse) -> None:
    source = make_source(world, house.url("/nowhere"))
    assert failed(source).failure_params == {"status": 404}


def test_script_is_taken_out_and_incomplete_documents_are_refused_each_with_its_reason(
    world: World, house: FakeClearingHouse, client: Client
) -> None:
    source = make_source(world, house.serve("/feed", "chm-hostile.json"))
    run = services.harvest(source)
    assert (run.outcome, run.fetched, run.created, run.refused) == (Run.Outcome.DONE, 7, 1, 6)
    mangroves = Initiative.objects.get()
    assert mangroves.title == {"en": "Mangrove restoration network"}
    description = mangroves.description["en"]
    for hostile in ("script", "onmouseover", "onerror", "javascript:", "evil.example", "<img"):
        assert hostile not in description
    assert "fishing communities" in description
    reasons = {(problem.source_identifier, problem.text) for problem in run.problems.all()}
    assert reasons == {
        (
            "C7D9E1F3-5A2B-4C8D-9E0F-6A1B3C5D7E90",
            "Markup was taken out of the document's title (scripts, event handlers or tags).",
        ),
        (
            "C7D9E1F3-5A2B-4C8D-9E0F-6A1B3C5D7E90",
            "Markup was taken out of the document's description (scripts, event handlers or tags).",
        ),
        ("E2F4A6B8-0C1D-4E3F-8A5B-7C9D1E3F5A71", "The document has no description."),
        ("F1A3B5C7-9D0E-4F2A-8B4C-6D8E0F2A4B62", "The document has no title."),
        ("bad id!", "The document's identifier bad id! is not a valid clearing-house identifier."),
        (
            "0A2B4C6D-8E0F-4A1B-9C3D-5E7F9A1B3C58",
            "The document's schema is organization; this source's mapping reads capacityBuildingInitiative.",
        ),
        ("1B3C5D7E-9F0A-4B2C-8D4E-6F8A0B2C4D69", "The document's startDate is not a date: next spring."),
        ("", "An entry of the listing is not a document."),
    }
    # The page shows the cleaned texts only.
    page = client.get(mangroves.get_absolute_url()).content.decode()
    assert "Mangrove restoration network" in page and "steal()" not in page and "alert(" not in page


def test_the_log_is_read_in_the_secretariats_language(
    world: World, house: FakeClearingHouse, client: Client
) -> None:
    source = make_source(
        world, house.serve("/feed", Answer(body=b"[", headers={"Content-Type": "text/plain"}))
    )
    run = failed(source)
    with translation.override("fr"):
        assert run.failure_text == "La réponse est text/plain, ni du JSON ni un flux Atom."
    client.force_login(world.secretariat)
    page = client.get(f"/ar/harvest/runs/{run.pk}/").content.decode()
    assert 'dir="rtl"' in page and "text/plain" in page and "JSON" in page
    with translation.override("ar"):
        assert run.failure_text in page


def test_only_the_secretariat_sees_the_sources(world: World, house: FakeClearingHouse, client: Any) -> None:
    source = make_source(world, house.url("/feed"))
    client.force_login(world.focal_point)
    assert client.get(f"/en/harvest/{source.pk}/").status_code == 403
    assert client.post(f"/en/harvest/{source.pk}/run/").status_code == 403
    assert not Run.objects.exists()


def test_one_run_at_a_time_per_source(harvested_once: Source) -> None:
    Run.objects.create(source=harvested_once)  # still running
    run = failed(harvested_once)
    assert run.failure_text == "Another harvest of this source is still running."
    assert Initiative.objects.filter(live=True).count() == 3


def test_a_document_of_an_unforeseen_shape_is_refused_alone(world: World, house: FakeClearingHouse) -> None:
    header = {"identifier": "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D", "schema": "capacityBuildingInitiative"}
    odd = [
        # Languages as a number: no reader expects it.
        {"header": header | {"languages": 5}, "title": {"en": "Odd"}, "description": {"en": "x"}},
        {
            "header": header | {"identifier": "0B9C8D7E-6F5A-4B3C-9D2E-1F0A9B8C7D6E"},
            "title": {"en": "A fine initiative"},
            "description": {"en": "<p>Fine.</p>"},
        },
    ]
    source = make_source(world, house.serve("/feed", Answer(body=json.dumps(odd).encode())))
    run = services.harvest(source)
    assert (run.outcome, run.created, run.refused) == (Run.Outcome.DONE, 1, 1)
    problem = run.problems.get()
    assert (problem.source_identifier, problem.code) == (header["identifier"], "unreadable")
