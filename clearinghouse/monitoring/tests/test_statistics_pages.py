"""The public statistics pages: areas, an area's indicators, an activity's and one indicator's,
in English and Arabic, with the numbers in tables beside the charts and small counts of people
hidden from all but the Secretariat."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from clearinghouse.core.testing import World
from clearinghouse.monitoring import compute
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Method
from clearinghouse.monitoring.tests.statistics_data import computation, indicator, store, target
from clearinghouse.publishing.tests.testapp.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(world: World) -> Any:
    """People trained, by gender, in the 2025-2026 biennium and in 2025."""
    found = indicator("5.1", disaggregations=["gender", "party"], baseline_year=2020, baseline_value=4)
    target(found, 2025, 2026, 50)
    biennium = computation(2025, 2026)
    store(
        biennium,
        found,
        {
            ("", ""): 27,
            ("gender", "woman"): 3,
            ("gender", "man"): 16,
            ("gender", "another"): 8,
            ("party", "KE"): 20,
            ("party", "TZ"): 7,
        },
        people=True,
    )
    store(computation(2025), found, {("", ""): 11}, people=True)
    return found


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_index_lists_every_area_with_the_headlines_of_the_biennium(client: Client, trained: Any) -> None:
    response = client.get("/en/statistics/?period=2025-2026")
    page = response.content.decode()
    assert response.status_code == 200
    for area in (
        "Needs",
        "Support",
        "Matchmaking",
        "Events",
        "Learning",
        "Help desk",
        "Communities",
        "Action plan",
    ):
        assert f">{area}</a>" in page
    assert "People trained (5.1)" in page and "27" in _text(page)


def test_an_indicator_page_shows_its_numbers_in_tables_beside_the_charts(
    client: Client, trained: Any
) -> None:
    response = client.get("/en/statistics/indicators/5.1/?period=2025-2026&dimension=party")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart"') == 2
    assert 'aria-describedby="trend-5-1"' in page and '<table id="trend-5-1">' in page
    assert 'aria-describedby="breakdown"' in page and '<table id="breakdown">' in page
    assert "<caption>People trained (5.1) by Party, Biennium 2025–2026</caption>" in page
    assert '<th scope="row">Kenya</th><td>20</td>' in page
    assert '<th scope="row">2025</th><td>11</td>' in page
    assert 'class="chart-target"' in page  # the target of the biennium, 50
    # No written definition: one is made from what it counts.
    assert "Broken down by: Gender, Party." in page
    assert 'dir="ltr"' in page


def test_the_public_reads_fewer_than_five_and_the_secretariat_the_exact_count(
    client: Client, world: World, trained: Any
) -> None:
    address = "/en/statistics/indicators/5.1/?period=2025-2026&dimension=gender"
    public = client.get(address).content.decode()
    assert '<th scope="row">Woman</th><td>fewer than 5</td>' in public
    assert '<th scope="row">Another gender</th><td>not shown</td>' in public
    assert '<th scope="row">Man</th><td>16</td>' in public
    assert ">3<" not in public and ">8<" not in public
    client.force_login(world.secretariat)
    exact = client.get(address).content.decode()
    assert re.search(
        r'<th scope="row">Woman</th><td>3 <small class="not-public">\(not public\)</small>', exact
    )
    assert re.search(r'<th scope="row">Another gender</th><td>8 <small', exact)


def test_the_arabic_pages_run_right_to_left_with_mirrored_charts(client: Client, trained: Any) -> None:
    for address in (
        "/ar/statistics/",
        "/ar/statistics/events/?period=2025-2026",
        "/ar/statistics/activities/5/?period=2025-2026",
        "/ar/statistics/indicators/5.1/?period=2025-2026",
    ):
        response = client.get(address)
        page = response.content.decode()
        assert response.status_code == 200, address
        assert '<html lang="ar" dir="rtl"' in page, address
    assert 'direction="rtl"' in page
    assert "الأشخاص المدربون (5.1)" in page
    assert "<h2>التصنيف</h2>" in page  # "Broken down", from the Arabic catalogue
    assert "أقل من 5" in page  # "fewer than 5"


def test_a_period_not_computed_says_so_and_only_the_secretariat_is_sent_to_compute_it(
    client: Client, world: World, trained: Any, settings: Any
) -> None:
    address = "/en/statistics/indicators/5.1/?start=2025-03-01&end=2025-03-31"
    page = client.get(address).content.decode()
    assert "The values of this period (2025-03-01 to 2025-03-31) have not been computed yet." in page
    assert "monitoring console" not in page
    client.force_login(world.secretariat)
    page = client.get(address).content.decode()
    # The console's address when it is installed; without it, no link leads nowhere.
    try:
        console = reverse("monitoring_console:index")
    except NoReverseMatch:
        assert "monitoring console" not in page
    else:
        assert f'<a href="{console}">Compute them in the monitoring console</a>' in page


def test_the_period_filter_is_a_form_offering_the_computed_periods(client: Client, trained: Any) -> None:
    page = client.get("/en/statistics/events/").content.decode()
    assert '<form class="filters" method="get"' in page
    assert '<option value="2025-2026"' in page and '<option value="2025">Year 2025</option>' in page
    response = client.get("/en/statistics/events/?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    response = client.get("/en/statistics/events/?start=2025-05-01")
    assert "Give both the first and the last day of the period." in response.content.decode()


def test_an_activity_page_separates_computed_manual_and_not_yet_possible(
    client: Client, trained: Any
) -> None:
    indicator("5.2", method=Method.MANUAL, names={"en": "NBSAPs citing the platform"})
    indicator(
        "5.3",
        method=Method.NOT_YET,
        names={"en": "Communities active"},
        reasons={"en": "Communities do not exist on the platform yet."},
    )
    page = client.get("/en/statistics/activities/5/?period=2025-2026").content.decode()
    assert "Computed from the platform's data, Biennium 2025–2026" in page
    assert "Entered with evidence, Biennium 2025–2026" in page
    assert "No approved value for this period yet." in page
    assert (
        '<th scope="row">5.3 Communities active</th><td>Communities do not exist on the platform yet.</td>'
        in page
    )
    assert client.get("/en/statistics/activities/99/").status_code == 404


def test_the_plan_activity_links_to_its_statistics(client: Client, trained: Any) -> None:
    page = client.get("/en/plan/5/").content.decode()
    assert 'href="/en/statistics/activities/5/"' in page


def test_an_unknown_area_or_indicator_is_not_found(client: Client, world: World) -> None:
    assert client.get("/en/statistics/nowhere/").status_code == 404
    assert client.get("/en/statistics/indicators/9.9/").status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/en/statistics/",
        "/en/statistics/events/",
        "/en/statistics/activities/5/",
        "/en/statistics/indicators/5.1/",
        "/en/statistics/events/values.csv",
        "/en/statistics/indicators/5.1/values.xlsx",
    ],
)
def test_the_pages_and_files_answer_head(client: Client, trained: Any, address: str) -> None:
    assert client.head(address).status_code == 200
    assert client.post(address).status_code == 405


def test_an_area_of_thirty_indicators_costs_a_bounded_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    done = computation(2025, 2026)
    yearly = computation(2025)
    for number in range(30):
        found = indicator(f"6.{number}", number=6, disaggregations=["party"])
        target(found, 2025, 2026, 10)
        store(done, found, {("", ""): number, ("party", "KE"): number})
        store(yearly, found, {("", ""): number})
    client.get("/en/statistics/events/?period=2025-2026")  # the session and the site's caches
    # Seven today: the periods offered, the indicators, the computation, its values, the
    # targets, the trend's computations and their values.
    with django_assert_max_num_queries(9):
        response = client.get("/en/statistics/events/?period=2025-2026")
    assert response.content.decode().count('<svg class="chart"') == 30


def test_a_computed_period_reaches_the_page_and_the_api_alike(client: Client, world: World) -> None:
    for number, country in enumerate((world.kenya, world.kenya, world.tanzania), start=1):
        Note.objects.create(
            identifier=f"CB-NOTE-{country.code}-{number:06d}",
            owner_country=country,
            original_language="en",
            title={"en": "A note"},
            live=True,
            first_published_at=datetime(2025, 6, 1, tzinfo=UTC),
        )
    indicator("8.1", number=8, area="plan", numerator="note.published", disaggregations=["party"])
    compute.compute(Period.years(2025, 2026))
    page = client.get("/en/statistics/indicators/8.1/?period=2025-2026").content.decode()
    assert (
        '<th scope="row">Kenya</th><td>2</td>' in page and '<th scope="row">Tanzania</th><td>1</td>' in page
    )
    data = client.get("/api/v1/indicators/8.1/values/?period=2025-2026&dimension=party").json()
    assert data["total"]["value"] == 3
    assert [(cell["label"], cell["value"]) for cell in data["cells"]] == [("Kenya", 2), ("Tanzania", 1)]


def test_an_area_draws_what_counts_the_whole_area_and_lists_one_activitys_share(
    client: Client, trained: Any
) -> None:
    share = indicator(
        "45.2", number=45, activity_only=True, method=Method.COMPUTED, numerator="event.published"
    )
    entered = indicator("89.1", number=89, method=Method.MANUAL)
    store(computation(2025, 2026), share, {("", ""): 80})
    page = client.get("/en/statistics/events/?period=2025-2026").content.decode()
    drawn, listed = page.split("Indicators of one activity, and values entered by hand")
    assert "5.1" in drawn and drawn.count("<svg") == 1
    assert "<svg" not in listed
    assert f"{share.code} " in listed and f"{entered.code} " in listed
    assert "Entered with evidence" in listed
