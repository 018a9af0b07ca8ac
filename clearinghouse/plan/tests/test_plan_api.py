"""The action plan in the API: public, read-only, paginated, with the page's filters."""

from __future__ import annotations

from django.test import Client

from clearinghouse.core.testing import World, token_headers
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import contributions, services
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity


def test_the_api_lists_the_plan_publicly_page_by_page(plan: ImportReport, client: Client) -> None:
    body = client.get("/api/v1/plan/activities/").json()
    assert body["count"] == 110
    assert [item["number"] for item in body["results"]] == list(range(1, 21))
    assert body["next"].endswith("/api/v1/plan/activities/?page=2")


def test_an_activity_in_the_api_carries_the_annex_and_its_progress(
    plan: ImportReport, client: Client, world: World
) -> None:
    activity = Activity.objects.get(number=30)
    services.translate_activity(world.secretariat, activity, "en", text="Organize regional workshops")
    services.record_progress(world.secretariat, activity, period="2017-2018", status="under_way", note="Deux")
    services.record_progress(
        world.secretariat,
        activity,
        period="2019-2020",
        status="completed",
        lead=Organisation.objects.get(acronym="GPFLR"),
    )
    services.add_evidence(
        world.secretariat,
        activity,
        kind="event",
        title="Workshop",
        url="https://example.org/w",
        identifier="CB-EVT-KE-000001",
    )
    body = client.get("/api/v1/plan/activities/30/").json()
    assert body["section"] == "B"
    assert body["theme"]["language"] == "ar"
    assert body["theme"]["original"].startswith("الأهداف 5، 14، و15")
    assert body["text"]["translations"] == {"en": "Organize regional workshops"}
    assert (body["priority"], body["secretariat"]) == (True, True)
    assert body["decisions"] == ["decision XII/19", "decision XI/16", "decision XII/1"]
    assert body["timeframe"] == {"text": "2020-2017", "start_year": 2017, "end_year": 2020}
    assert [output["position"] for output in body["outputs"]] == [1, 2]
    assert {partner["acronym"] for partner in body["partners"]} == {"GPFLR", "CPF"}
    assert body["other_partners"] == ["GPFLR and CPF members"]
    assert body["aichi_targets"] == [f"AICHI-T{n}" for n in (5, 7, 11, 12, 13, 14, 15)]
    assert body["gbf_targets"] == [f"GBF-T{n}" for n in (1, 2, 3, 4, 8, 10, 11)]
    assert (body["current_status"]["status"], body["current_status"]["period"]) == ("completed", "2019-2020")
    assert [report["period"] for report in body["progress"]] == ["2019-2020", "2017-2018"]
    assert body["progress"][0]["lead"]["acronym"] == "GPFLR"
    assert body["evidence"][0]["identifier"] == "CB-EVT-KE-000001"
    # Who recorded a report is for the Secretariat's page, not for the public API.
    assert "recorded_by" not in body["progress"][0]


def test_an_activity_without_a_theme_or_progress_gives_nulls(plan: ImportReport, client: Client) -> None:
    body = client.get("/api/v1/plan/activities/97/").json()
    assert (body["theme"], body["current_status"]) == (None, None)
    assert body["decisions"] == ["decision CP-VII/5", "decision CP-VII/1"]


def test_the_api_is_read_only_even_for_the_secretariat(
    plan: ImportReport, client: Client, world: World
) -> None:
    headers = token_headers(world.secretariat)
    assert client.post("/api/v1/plan/activities/", {}, headers=headers).status_code == 405
    assert client.patch("/api/v1/plan/activities/1/", {}, headers=headers).status_code == 405


def test_an_unknown_activity_is_not_found(plan: ImportReport, client: Client) -> None:
    assert client.get("/api/v1/plan/activities/0/").status_code == 404
    assert client.get("/api/v1/plan/activities/abc/").status_code == 404


def test_the_api_list_needs_few_queries(
    plan: ImportReport, client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    for number in range(1, 21):
        activity = Activity.objects.get(number=number)
        services.record_progress(world.secretariat, activity, period="2019", status="under_way")
        services.add_evidence(world.secretariat, activity, kind="other", title="X", url="https://example.org")
    # Count, page, and one query per related list: the same for 1 activity or 100.
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get("/api/v1/plan/activities/", {"page_size": 100})
    assert response.status_code == 200


def test_an_activity_in_the_api_carries_only_its_accepted_contributions(
    plan: ImportReport, client: Client, world: World
) -> None:
    activity = Activity.objects.get(number=46)
    values = {
        "organisation": world.kenyan_ngo,
        "language": "fr",
        "period": "2019-2020",
        "url": "https://example.org/a",
    }
    accepted = contributions.report_contribution(
        world.partner_editor, activity, description="Formations.", **values
    )
    contributions.accept(world.secretariat, accepted)
    contributions.report_contribution(world.partner_editor, activity, description="En attente.", **values)
    body = client.get("/api/v1/plan/activities/46/").json()
    assert body["contributions"] == [
        {
            "organisation_code": world.kenyan_ngo.acronym,
            "organisation_name": "Nature Kenya",
            "kind": "report",
            "period": "2019-2020",
            "period_start": 2019,
            "period_end": 2020,
            "description": "Formations.",
            "language": "fr",
            "identifiers": [],
            "url": "https://example.org/a",
            "accepted_at": body["contributions"][0]["accepted_at"],
        }
    ]
