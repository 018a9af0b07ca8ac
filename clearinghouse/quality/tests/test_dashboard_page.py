"""The Secretariat's quality dashboard: only quality staff see it (a header place for them);
it lists open rounds with their pending and overdue reviews, checklists not completed, the
lowest rated items with at least three ratings, trends by quarter and counts by kind and
region; its CSV gives the same figures; Arabic reads right to left; queries stay bounded."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.core.navigation import places_for
from clearinghouse.core.testing import World
from clearinghouse.quality.dashboard import dashboard
from clearinghouse.quality.models import AppliesTo, Judgment
from clearinghouse.quality.tests import dashboard_factories as make

pytestmark = pytest.mark.django_db

URL = "/en/quality/dashboard/"


@pytest.fixture
def scene(world: World) -> dict[str, Any]:
    """A guide under review (one review in, one overdue), a course judged after a first round
    that needed changes, a workshop with a checklist half done, and ratings."""
    today = timezone.localdate()
    guide, lecture, workshop = make.material(world), make.course(world), make.event(world)
    materials = make.standard(AppliesTo.MATERIAL, min_reviews=2)
    courses = make.standard(AppliesTo.COURSE)
    under_review = make.review(guide, materials, due_on=today - timedelta(days=2))
    make.assign(under_review, world.trainer, submitted=True)
    make.assign(under_review, world.learner)
    make.review(lecture, courses, judgment=Judgment.NEEDS_CHANGES, judged_at=datetime(2025, 2, 1, tzinfo=UTC))
    make.review(
        lecture, courses, round=2, judgment=Judgment.MEETS, judged_at=datetime(2025, 5, 1, tzinfo=UTC)
    )
    half = make.checklist(workshop, make.template(AppliesTo.EVENT, steps=4), done=2)
    make.checklist(lecture, make.template(AppliesTo.COURSE, steps=2), done=2)
    people = make.raters(world, 3)
    for person, stars in zip(people, (2, 1, 3), strict=True):
        make.rate(workshop, person, stars, country=world.kenya, at=datetime(2025, 4, 2, tzinfo=UTC))
    for person, stars in zip(people, (5, 4, 5), strict=True):
        make.rate(lecture, person, stars, country=world.tanzania, at=datetime(2025, 8, 2, tzinfo=UTC))
    # Two ratings only: too few to be listed among the lowest.
    make.rate(guide, people[0], 1, country=world.kenya)
    make.rate(guide, people[1], 1)
    return {"guide": guide, "lecture": lecture, "workshop": workshop, "review": under_review, "half": half}


def test_only_quality_staff_see_the_dashboard_and_its_place_in_the_header(
    world: World, client: Client
) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    for person in (world.learner, world.focal_point, world.authorised_user, world.trainer, world.outsider):
        client.force_login(person)
        assert client.get(URL).status_code == 403, person
        assert client.get(URL, {"format": "csv"}).status_code == 403, person
        assert "quality:dashboard" not in [place.url_name for place in places_for(person)]
    for person in (world.secretariat, world.helpdesk_agent):
        client.force_login(person)
        assert client.get(URL).status_code == 200
        assert "quality:dashboard" in [place.url_name for place in places_for(person)]


def test_the_dashboard_lists_what_is_under_review_and_what_is_not_done(
    world: World, client: Client, scene: dict[str, Any]
) -> None:
    client.force_login(world.secretariat)
    response = client.get(URL)
    found = response.context["dashboard"]
    (line,) = found.rounds
    assert line.item.key == scene["guide"].identifier
    assert (line.submitted, line.pending, line.overdue, line.ready) == (1, 1, True, False)
    assert (found.rounds_total, found.pending, found.overdue) == (1, 1, 1)
    (kept,) = found.checklists  # the course's checklist is complete
    assert (kept.item.key, kept.done, kept.total, kept.percent) == (scene["workshop"].identifier, 2, 4, 50)
    page = response.content.decode()
    assert "Guide to invasive species" in page and "Overdue" in page and "2 of 4 (50%)" in page
    assert scene["guide"].get_absolute_url() in page


def test_the_lowest_rated_have_three_ratings_or_more(
    world: World, client: Client, scene: dict[str, Any]
) -> None:
    found = dashboard("en")
    assert [(rated.item.key, rated.average, rated.count) for rated in found.lowest] == [
        (scene["workshop"].identifier, 2.0, 3),
        (scene["lecture"].identifier, 4.7, 3),
    ]


def test_trends_by_quarter_and_counts_by_kind_and_region(world: World, scene: dict[str, Any]) -> None:
    found = dashboard("en")
    quarters = {quarter.label: quarter for quarter in found.quarters}
    assert (quarters["2025 Q1"].judged, quarters["2025 Q1"].needs_changes) == (1, 1)
    assert (quarters["2025 Q2"].judged, quarters["2025 Q2"].meets, quarters["2025 Q2"].ratings) == (1, 1, 3)
    assert (quarters["2025 Q2"].average, quarters["2025 Q3"].average, quarters["2025 Q3"].high) == (
        2.0,
        4.7,
        3,
    )
    # Newest first.
    assert list(quarters)[:3] == sorted(quarters, reverse=True)[:3]
    kinds = {kind.key: kind for kind in found.kinds}
    assert (kinds["material"].under_review, kinds["material"].judged) == (1, 0)
    assert (kinds["course"].judged, kinds["course"].meets, kinds["course"].checklists_completed) == (1, 1, 1)
    assert (kinds["event"].checklists, kinds["event"].checklists_completed) == (1, 0)
    (africa, unknown) = found.regions
    # The course is Kenya's (Africa); the ratings are by Kenyans and Tanzanians (Africa too).
    assert (africa.label, africa.judged, africa.meets, africa.checklists_completed) == ("Africa", 1, 1, 1)
    assert (africa.ratings, unknown.ratings, unknown.label) == (7, 1, "Not known")


def test_the_csv_gives_the_dashboards_figures(world: World, client: Client, scene: dict[str, Any]) -> None:
    client.force_login(world.helpdesk_agent)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["Section", "Item or group", "Figure", "Value"]
    guide = f"{scene['guide'].title['en']} ({scene['guide'].identifier})"
    assert ["Under review", guide, "Reviews pending", "1"] in rows
    assert ["Under review", guide, "Overdue", "Yes"] in rows
    workshop = f"{scene['workshop'].title['en']} ({scene['workshop'].identifier})"
    assert ["Lowest rated", workshop, "Average rating", "2.0"] in rows
    assert ["By kind", "Courses", "Meets the standard", "1"] in rows


def test_an_empty_dashboard_says_so(world: World, client: Client) -> None:
    client.force_login(world.secretariat)
    page = client.get(URL).content.decode()
    assert "Nothing is under review." in page
    assert "No item has enough ratings yet." in page


def test_the_arabic_dashboard_reads_right_to_left_with_arabic_titles(
    world: World, client: Client, scene: dict[str, Any]
) -> None:
    client.force_login(world.secretariat)
    response = client.get(reverse("quality:dashboard").replace("/en/", "/ar/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in page
    assert scene["guide"].title["ar"] in page  # the item's own Arabic title, marked as Arabic
    assert 'lang="ar" dir="rtl">' + scene["guide"].title["ar"] in page


def test_the_dashboard_costs_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    today = timezone.localdate()
    standard = make.standard(AppliesTo.MATERIAL)
    steps = make.template(AppliesTo.EVENT)
    people = make.raters(world, 3)
    for _ in range(6):
        guide, workshop = make.material(world), make.event(world)
        make.assign(make.review(guide, standard, due_on=today), world.trainer)
        make.checklist(workshop, steps, done=1)
        for person in people:
            make.rate(guide, person, 3)
    client.force_login(world.secretariat)
    with django_assert_max_num_queries(30):
        assert client.get(URL).status_code == 200
