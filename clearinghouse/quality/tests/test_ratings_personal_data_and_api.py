"""A person's ratings, reports and downloads are in their download; closing their account erases
their comments (their stars still count) and their downloads. The API gives each published
record's average and count, and nothing of who rated."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.accounts import closure
from clearinghouse.accounts.personal_data import gather
from clearinghouse.core.testing import World
from clearinghouse.quality import ratings
from clearinghouse.quality.models import Rating, RatingReport, Use
from clearinghouse.quality.tests.rating_factories import (
    _offline,  # noqa: F401  (fixture)
    attended_event,
    download,
    resource,
    vocabularies,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.usefixtures("vocabularies")

PASSWORD = "otieno-passphrase-2026"  # core.testing.make_user gives Kenya's authorised user this one


def test_the_download_holds_ratings_reports_and_uses_and_closing_erases_comments(world: World) -> None:
    person = world.authorised_user
    event = attended_event(world, person)
    material = resource(world)
    download(material, person)
    given = ratings.rate_record(event, person=person, stars=4, comment="Useful, but the room was cold.")
    other = ratings.rate_record(material, person=person, stars=5)
    others_event = attended_event(world, world.learner)
    theirs = ratings.rate_record(others_event, person=world.learner, stars=1, comment="Rude remarks here.")
    ratings.report(theirs, person=person, reason="Offensive.")
    data = gather(person)
    assert [row["stars"] for row in data["quality_ratings"]] == [4, 5]
    assert data["quality_ratings"][0]["comment"] == "Useful, but the room was cold."
    assert data["quality_ratings"][0]["country"] == "KE"
    assert data["quality_reports"][0]["reason"] == "Offensive."
    assert data["quality_uses"][0]["identifier"] == material.identifier

    closure.close_account(user=person, password=PASSWORD)
    given.refresh_from_db()
    # The stars stay, so the averages people chose by do not change; the words go.
    assert (given.stars, given.comment) == (4, "")
    assert Rating.objects.filter(pk=other.pk).exists()
    assert not Use.objects.filter(person=person).exists()
    assert not RatingReport.objects.filter(reported_by=person).exists()
    assert ratings.summary(event.identifier).count == 1


def test_the_api_gives_averages_by_identifier_and_nothing_of_who_rated(world: World) -> None:
    event = attended_event(world, world.learner)
    ratings.rate_record(event, person=world.learner, stars=4, comment="Personal words.")
    unrated = attended_event(world, world.outsider)
    one = Client().get(f"/api/v1/quality/ratings/{event.identifier}/")
    assert one.status_code == 200
    assert one.json() == {
        "identifier": event.identifier,
        "record_type": "EVENT",
        "count": 1,
        "average": 4.0,
        "by_stars": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
    }
    many = (
        Client()
        .get(
            "/api/v1/quality/ratings/",
            {"identifier": [event.identifier, unrated.identifier, "CB-EVENT-KE-999999"]},
        )
        .json()
    )
    assert [(row["identifier"], row["count"]) for row in many] == [
        (event.identifier, 1),
        (unrated.identifier, 0),
    ]
    assert "Personal words." not in str(many)


def test_the_api_refuses_bad_input(world: World) -> None:
    assert Client().get("/api/v1/quality/ratings/").status_code == 400
    too_many = [f"CB-EVENT-KE-{number:06d}" for number in range(101)]
    assert Client().get("/api/v1/quality/ratings/", {"identifier": too_many}).status_code == 400
    assert Client().get("/api/v1/quality/ratings/", {"identifier": "X" * 41}).status_code == 400
    assert Client().get("/api/v1/quality/ratings/CB-NEED-KE-000001/").status_code == 404
