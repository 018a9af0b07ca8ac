"""The public quality statistics, on the page and in the API: the share of events and courses
using the standards (a checklist or a judged review), average ratings by type and by region
(an average of fewer than three ratings is not shown), over a period; a reversed period is
refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.quality.models import AppliesTo, Judgment
from clearinghouse.quality.statistics import Period, report
from clearinghouse.quality.tests import dashboard_factories as make

pytestmark = pytest.mark.django_db

URL = "/en/quality/statistics/"
API = "/api/v1/quality/statistics/"


@pytest.fixture
def scene(world: World) -> dict[str, Any]:
    """Three public workshops (one with a checklist, one judged, one neither), a course with a
    round still open, a draft event with a checklist (not public: not counted) and ratings."""
    published = timezone.now()
    judged, checked, _bare = (make.event(world, first_published_at=published) for _ in range(3))
    lecture = make.course(world, first_published_at=published)
    draft = make.event(world, state="draft", live=False)
    make.checklist(checked, make.template(AppliesTo.EVENT, steps=3), done=1)
    make.checklist(draft, make.template(AppliesTo.EVENT, steps=3), done=3)
    make.review(judged, make.standard(AppliesTo.EVENT), judgment=Judgment.MEETS)
    make.review(lecture, make.standard(AppliesTo.COURSE))
    guide = make.material(world)
    people = make.raters(world, 3)
    for person, stars in zip(people, (5, 4, 2), strict=True):
        make.rate(judged, person, stars, country=world.kenya)
    make.rate(guide, people[0], 5, country=world.tanzania)
    make.rate(lecture, people[1], 3)
    return {"judged": judged, "guide": guide}


def test_the_share_of_events_and_courses_using_the_standards(world: World, scene: dict[str, Any]) -> None:
    found = report(Period())
    uses = {use.key: use for use in found.uses}
    assert (uses["EVENT"].total, uses["EVENT"].using, uses["EVENT"].percent) == (3, 2, 66.7)
    # A round still open is not yet a use of the standards.
    assert (uses["COURSE"].total, uses["COURSE"].using, uses["COURSE"].percent) == (1, 0, 0.0)
    assert (found.using.total, found.using.using, found.using.percent) == (4, 2, 50.0)
    assert (found.judged, found.meets) == (1, 1)


def test_average_ratings_by_type_and_region_hide_averages_of_few_ratings(
    world: World, scene: dict[str, Any]
) -> None:
    found = report(Period())
    by_type = {line.key: line for line in found.by_type}
    assert list(by_type) == ["EVENT", "COURSE", "RES"]
    assert (by_type["EVENT"].count, by_type["EVENT"].average, by_type["EVENT"].high_percent) == (3, 3.7, 66.7)
    assert (by_type["RES"].count, by_type["RES"].average, by_type["RES"].high_percent) == (1, None, None)
    by_region = {line.label: line for line in found.by_region}
    assert (by_region["Africa"].count, by_region["Africa"].average) == (4, 4.0)
    assert by_region["Not known"].count == 1
    assert (found.ratings.count, found.ratings.average) == (5, 3.8)


def test_a_period_before_anything_counts_nothing(world: World, scene: dict[str, Any]) -> None:
    found = report(Period(datetime(2020, 1, 1, tzinfo=UTC).date(), datetime(2020, 12, 31, tzinfo=UTC).date()))
    assert [use.total for use in found.uses] == [0, 0]
    assert found.by_type == () and found.ratings.count == 0 and found.judged == 0


def test_the_page_is_public_and_refuses_a_reversed_period(
    world: World, client: Client, scene: dict[str, Any]
) -> None:
    page = client.get(URL).content.decode()
    assert "Activities using the quality standards" in page
    assert "66.7%" in page
    today = timezone.localdate()
    reversed_period = {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()}
    response = client.get(URL, reversed_period)
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


def test_the_arabic_page_reads_right_to_left(world: World, client: Client, scene: dict[str, Any]) -> None:
    response = client.get(URL.replace("/en/", "/ar/"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_the_api_gives_the_page_figures_to_anyone(
    world: World, client: Client, scene: dict[str, Any]
) -> None:
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    using = {line["key"]: line for line in data["using_standards"]}
    assert (using["EVENT"]["total"], using["EVENT"]["using"], using["all"]["percent"]) == (3, 2, 50.0)
    by_type = {line["key"]: line for line in data["ratings_by_type"]}
    assert by_type["EVENT"] == {
        "key": "EVENT",
        "label": "Events",
        "ratings": 3,
        "average": 3.7,
        "high_percent": 66.7,
    }
    assert by_type["RES"]["average"] is None and data["min_ratings"] == 3
    assert (data["judged"], data["meets"]) == (1, 1)
    assert client.get(API, {"start": "2026-02-02", "end": "2026-01-01"}).status_code == 400
    assert client.get(API, {"start": "not a day"}).status_code == 400
