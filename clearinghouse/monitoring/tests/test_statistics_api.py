"""Indicators and their values in the API and as CSV and XLSX files: the numbers of the pages,
with the same privacy for the public."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.monitoring.tests.statistics_data import computation, indicator, store, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(world: World) -> Any:
    found = indicator("5.1", disaggregations=["gender"], baseline_year=2020, baseline_value=4)
    target(found, 2025, 2026, 50)
    store(
        computation(2025, 2026),
        found,
        {("", ""): 27, ("gender", "woman"): 3, ("gender", "man"): 16, ("gender", "another"): 8},
        people=True,
    )
    store(computation(2025), found, {("", ""): 11}, people=True)
    indicator("5.2", area="plan", numerator="plan.evidence", names={"en": "Evidence added"})
    return found


def test_the_indicators_with_their_names_baseline_and_targets(client: Client, trained: Any) -> None:
    response = client.get("/api/v1/indicators/")
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["code"] == "5.1" and first["activity"] == 5 and first["area"] == "events"
    assert first["names"]["ar"] == "الأشخاص المدربون (5.1)" and first["name"] == "People trained (5.1)"
    assert first["unit"] == "count" and first["method"] == "computed"
    assert (first["baseline_year"], first["baseline_value"]) == (2020, 4)
    assert first["targets"] == [{"period_start": 2025, "period_end": 2026, "value": 50}]
    assert client.head("/api/v1/indicators/").status_code == 200


def test_the_values_of_a_period_by_a_disaggregation_hide_small_counts_from_the_public(
    client: Client, world: World, trained: Any
) -> None:
    address = "/api/v1/indicators/5.1/values/?period=2025-2026&dimension=gender"
    data = client.get(address).json()
    assert data["period"] == "2025-2026" and data["computed"] and data["target"] == 50
    assert data["total"] == {"value": 27, "hidden": ""}
    assert data["cells"] == [
        {"key": "man", "label": "Man", "value": 16, "hidden": ""},
        {"key": "another", "label": "Another gender", "value": None, "hidden": "withheld"},
        {"key": "woman", "label": "Woman", "value": None, "hidden": "small"},
    ]
    # 2026 has not been computed on its own yet.
    assert data["trend"] == [
        {"year": 2025, "computed": True, "value": 11, "hidden": ""},
        {"year": 2026, "computed": False, "value": None, "hidden": ""},
    ]
    client.force_login(world.secretariat)
    cells = client.get(address).json()["cells"]
    assert {cell["key"]: cell["value"] for cell in cells} == {"man": 16, "another": 8, "woman": 3}


def test_bad_periods_and_dimensions_are_refused_in_the_readers_language(client: Client, trained: Any) -> None:
    response = client.get("/api/v1/indicators/5.1/values/?period=soon")
    assert response.status_code == 400
    assert "Give the period as a year" in response.content.decode()
    response = client.get("/api/v1/indicators/5.1/values/?dimension=party")
    assert response.status_code == 400
    assert "broken down only by: gender" in response.content.decode()
    assert client.get("/api/v1/indicators/9.9/values/").status_code == 404


def test_a_period_not_computed_answers_so(client: Client, trained: Any) -> None:
    data = client.get("/api/v1/indicators/5.1/values/?period=2027").json()
    assert data["computed"] is False and data["total"] == {"value": None, "hidden": ""}


def test_the_schema_documents_the_indicators(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/indicators/" in schema["paths"]
    values = schema["paths"]["/api/v1/indicators/{code}/values/"]["get"]
    assert values["operationId"] == "indicator_values"
    assert {parameter["name"] for parameter in values["parameters"]} >= {"period", "dimension"}


def test_an_area_as_csv_holds_the_numbers_of_the_pages(client: Client, world: World, trained: Any) -> None:
    response = client.get("/en/statistics/events/values.csv?period=2025-2026")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistics-events-2025-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Indicator",
        "Name",
        "Period",
        "Disaggregation",
        "Value of the disaggregation",
        "Value",
    ]
    by_cell = {(row[3], row[4]): row[5] for row in rows[1:]}
    assert by_cell == {
        ("Total", ""): "27",
        ("Gender", "Man"): "16",
        ("Gender", "Another gender"): "not shown",
        ("Gender", "Woman"): "fewer than 5",
    }
    assert rows[1][8:] == ["50", "2020", "4"]
    client.force_login(world.secretariat)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/en/statistics/events/values.csv?period=2025-2026").content.decode("utf-8-sig")
            )
        )
    )
    assert {(row[4], row[5], row[6]) for row in rows[1:]} >= {
        ("Woman", "3", "yes"),
        ("Another gender", "8", "yes"),
    }


def test_an_indicator_as_xlsx_in_arabic_reads_right_to_left(client: Client, trained: Any) -> None:
    response = client.get("/ar/statistics/indicators/5.1/values.xlsx?period=2025-2026")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "5.1" and rows[1][1] == "الأشخاص المدربون (5.1)" and rows[1][5] == "27"
    assert len(rows) == 5


def test_a_bad_period_gives_no_file(client: Client, trained: Any) -> None:
    response = client.get("/en/statistics/events/values.csv?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
