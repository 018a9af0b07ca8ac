"""The filters of the action plan, the same on the page and in the API (one FilterSet)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import services
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity

# Aichi target 16 is named by the theme of activities 68-71 ("الهدفان 18 ، و 16") and by every
# cross-cutting theme of 79-88 ("جميع أهداف أيشي", all the targets); only it maps to GBF target 13.
TARGET_16 = [68, 69, 70, 71, *range(79, 89)]


def on_page(client: Client, query: dict[str, Any]) -> list[int]:
    page = client.get("/en/plan/", query).content.decode()
    return [int(number) for number in re.findall(r'<li id="activity-(\d+)">', page)]


def in_api(client: Client, query: dict[str, Any]) -> list[int]:
    numbers: list[int] = []
    body = client.get("/api/v1/plan/activities/", {**query, "page_size": 100}).json()
    while True:
        numbers += [item["number"] for item in body["results"]]
        if not body["next"]:
            break
        body = client.get(body["next"]).json()
    assert body["count"] == len(numbers)
    return numbers


@pytest.fixture
def progress(plan: ImportReport, world: World) -> None:
    def record(number: int, period: str, status: str) -> None:
        services.record_progress(
            world.secretariat, Activity.objects.get(number=number), period=period, status=status
        )

    record(1, "2017-2018", "under_way")
    record(1, "2019-2020", "completed")
    record(4, "2017-2018", "completed")
    # A later report for an earlier period: activity 5 is still under way in 2019-2020.
    record(5, "2019-2020", "under_way")
    record(5, "2017-2018", "completed")
    record(100, "2019", "discontinued")


@pytest.mark.parametrize("look", [on_page, in_api], ids=["page", "api"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"section": "C"}, list(range(89, 97))),
        ({"section": "D", "priority": "false"}, list(range(107, 111))),
        ({"status": "completed"}, [1, 4]),
        ({"status": "under_way"}, [5]),
        ({"status": "discontinued"}, [100]),
        ({"aichi": "AICHI-T16"}, TARGET_16),
        ({"gbf": "GBF-T13"}, TARGET_16),
        # Target 9 is in the themes of 27-29, 47-50 and the cross-cutting 79-88; asterisks as in the annex.
        ({"aichi": "AICHI-T9", "priority": "true"}, [27, 28, 47, 48, 79, 80, 81, 82, 83]),
        ({"section": "A", "secretariat": "false"}, []),
    ],
)
def test_a_filter_keeps_the_activities_it_describes(
    progress: None, client: Client, look: Any, query: dict[str, Any], expected: list[int]
) -> None:
    assert look(client, query) == expected


@pytest.mark.parametrize("look", [on_page, in_api], ids=["page", "api"])
def test_the_flags_count_as_the_decision_marks_them(plan: ImportReport, client: Client, look: Any) -> None:
    assert len(look(client, {"priority": "true"})) == 70
    assert len(look(client, {"secretariat": "true"})) == 36
    assert len(look(client, {"status": "none"})) == 110


@pytest.mark.parametrize("look", [on_page, in_api], ids=["page", "api"])
def test_the_partner_filter_finds_names_and_acronyms(plan: ImportReport, client: Client, look: Any) -> None:
    idlo = Organisation.objects.get(acronym="IDLO")
    # "IDLO" in activity 9; "المنظمة الدولية لقانون التنمية" in 89, 90, 91 and 96.
    assert look(client, {"partner": idlo.pk}) == [9, 89, 90, 91, 96]


def test_the_filter_form_offers_partners_and_targets_by_name(plan: ImportReport, client: Client) -> None:
    page = client.get("/en/plan/").content.decode()
    assert '<option value="AICHI-T9">T9: ' in page
    assert '<option value="GBF-T13">T13: ' in page
    assert f'<option value="{Organisation.objects.get(acronym="IDLO").pk}">IDLO: ' in page


@pytest.mark.parametrize("look", [on_page, in_api], ids=["page", "api"])
@pytest.mark.parametrize(
    "query", [{"aichi": "AICHI-T99"}, {"gbf": "GBF-T99"}, {"partner": 0}, {"partner": -3}]
)
def test_a_filter_naming_nothing_on_its_list_keeps_no_activity(
    plan: ImportReport, client: Client, look: Any, query: dict[str, Any]
) -> None:
    # Like a search for an unknown word, not an error: any id or code is a well-formed request.
    assert look(client, query) == []


def test_a_malformed_filter_value_is_explained_on_the_page_and_refused_by_the_api(
    plan: ImportReport, client: Client
) -> None:
    response = client.get("/en/plan/", {"partner": "IDLO", "status": "finished"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    api = client.get("/api/v1/plan/activities/", {"partner": "IDLO"})
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "partner"
