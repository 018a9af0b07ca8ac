"""The alumni and communities statistics page: the Secretariat sees every Party's exact figures,
a focal point their Party's with small counts of people hidden, others nothing; the CSV gives
the same figures; the page costs a fixed number of queries."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from io import StringIO

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.community import statistics
from clearinghouse.community.models import Consent, MentoringStatus, Mentorship
from clearinghouse.community.tests.statistics_factories import alumnus, community, post, took_part
from clearinghouse.core.testing import World, token_headers
from clearinghouse.events.models import Gender
from clearinghouse.events.tests.attendance_factories import make_event

pytestmark = pytest.mark.django_db

URL = "/en/community/statistics/"


@pytest.fixture
def network(world: World) -> World:
    """Six Kenyan alumni (one active lately), two Tanzanian, one who did not consent; a
    community where a Kenyan and a Tanzanian wrote lately; a mentoring relation under way."""
    workshop = make_event(world)
    today = timezone.localdate()
    now = timezone.now()
    for number in range(6):
        who = alumnus(
            f"Kenyan {number}",
            country=world.kenya,
            gender=Gender.WOMAN if number % 2 else Gender.MAN,
            last_active_at=now - timedelta(days=3) if number == 0 else None,
        )
        took_part(who, workshop, today - timedelta(days=20))
    for number in range(2):
        took_part(
            alumnus(f"Tanzanian {number}", country=world.tanzania), workshop, today - timedelta(days=20)
        )
    took_part(alumnus("Not asked", consent=Consent.ASKED, country=world.kenya), workshop, today)
    alumnus("Wanjiru", person=world.focal_point, country=world.kenya)
    alumnus("Baraka", person=world.other_focal_point, country=world.tanzania)
    where = community(world)
    opening = post(where, world.focal_point, now - timedelta(days=5))
    post(opening.topic, world.other_focal_point, now - timedelta(days=4))
    Mentorship.objects.create(
        mentee=world.learner,
        mentor=world.focal_point,
        topic="Access and benefit-sharing contracts",
        request="I draft our first permits.",
        starts_on=today,
        ends_on=today + timedelta(days=90),
        status=MentoringStatus.ACTIVE,
        started_at=now,
    )
    return world


def test_the_secretariat_sees_every_party_exactly(network: World, client: Client) -> None:
    client.force_login(network.secretariat)
    response = client.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.exact and report.scope.countries is None
    assert report.alumni.value == 8  # the one who was not asked to consent is not counted
    by_country = {row.key: row.figure.value for row in report.breakdowns[1].rows}
    assert by_country == {"KE": 6, "TZ": 2}
    network_figures = [line.figure.value for line in report.network]
    assert network_figures == [1, 1, 1]  # one active alumnus, one active community, one exchange
    assert {line.label: line.figure.value for line in report.mentoring}[
        str(MentoringStatus.ACTIVE.label)
    ] == 1
    page = response.content.decode()
    assert 'id="table-country"' in page and "Kenya" in page


def test_a_focal_point_sees_their_party_with_small_counts_hidden(network: World, client: Client) -> None:
    client.force_login(network.focal_point)
    report = client.get(URL).context["report"]
    assert not report.exact
    assert report.alumni.value == 6
    assert [row.key for row in report.breakdowns[1].rows] == ["KE"]  # Tanzania's alumni are not theirs
    genders = {row.key: row.figure for row in report.breakdowns[2].rows}
    assert genders["man"].value is None and genders["woman"].value is None  # 3 and 3: under 5
    assert report.network[0].figure.value is None  # one person active: "fewer than 5"
    assert str(report.network[0].figure) == "fewer than 5"


def test_nobody_else_sees_the_page(network: World, client: Client) -> None:
    assert client.get(URL).status_code == 403
    for person in (network.learner, network.outsider, network.authorised_user, network.trainer):
        client.force_login(person)
        assert client.get(URL).status_code == 403


def test_the_period_narrows_the_figures_and_a_reversed_one_is_refused(network: World, client: Client) -> None:
    client.force_login(network.secretariat)
    today = timezone.localdate()
    long_ago = {"start": "2020-01-01", "end": "2020-12-31"}
    report = client.get(URL, long_ago).context["report"]
    assert report.alumni.value == 0
    assert [line.figure.value for line in report.network] == [0, 0, 0]
    reversed_period = {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()}
    assert client.get(URL, reversed_period).status_code == 400


def test_the_csv_gives_the_page_figures(network: World, client: Client) -> None:
    client.force_login(network.focal_point)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(StringIO(response.content.decode().lstrip("\ufeff"))))
    assert len(rows[0]) == 3
    assert rows[1][1:] == ["Total", "6"]
    assert any(row[1] == "Kenya" and row[2] == "6" for row in rows)


def test_the_report_costs_a_fixed_number_of_queries(
    network: World, django_assert_max_num_queries: object
) -> None:
    scope = statistics.Scope(None, date(2000, 1, 1), None)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        statistics.report(scope, exact=True)
    for number in range(10):
        took_part(alumnus(f"More {number}", country=network.kenya), make_event(network), timezone.localdate())
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        statistics.report(scope, exact=True)


def test_the_api_gives_the_page_figures_to_the_same_people(network: World, client: Client) -> None:
    url = "/api/v1/community/statistics/"
    assert client.get(url).status_code in {401, 403}
    assert client.get(url, headers=token_headers(network.outsider)).status_code == 403
    data = client.get(url, headers=token_headers(network.focal_point)).json()
    assert data["parties"] == ["KE"] and not data["exact"]
    assert data["alumni"] == {"value": 6.0, "hidden": ""}
    active = next(line for line in data["network"] if line["key"] == "active_alumni")
    assert active["figure"] == {"value": None, "hidden": "fewer"}
    data = client.get(url, headers=token_headers(network.secretariat)).json()
    assert data["parties"] is None and data["exact"] and data["alumni"]["value"] == 8.0
    assert {table["name"] for table in data["breakdowns"]} == {
        "activity",
        "country",
        "gender",
        "iplc",
        "sector",
    }
    bad = client.get(
        url, {"start": "2026-02-01", "end": "2026-01-01"}, headers=token_headers(network.secretariat)
    )
    assert bad.status_code == 400
