"""What a progress report shows comes from its computation's stored values and the plan as it
stood then: the same report shows the same numbers, small counts of people are withheld, and
the narrative appears in its language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from clearinghouse.monitoring import compute, reports
from clearinghouse.monitoring.models import Computation, Indicator, Report, Value
from clearinghouse.monitoring.tests.reporting import PERIOD, note, reported
from clearinghouse.plan import services as plan_services
from clearinghouse.plan.models import Activity

pytestmark = pytest.mark.django_db


def _by_code(data: reports.ReportData) -> dict[str, reports.IndicatorRow]:
    return {row.code: row for row in data.indicators}


def test_the_numbers_are_the_stored_values_of_the_reports_computation(world: Any) -> None:
    report = reported(world)
    data = reports.report_data(report, "en")
    rows = _by_code(data)
    for value in Value.objects.filter(computation=report.computation, dimension=""):
        assert rows[value.indicator.code].total is not None
        assert rows[value.indicator.code].total.value == value.value  # type: ignore[union-attr]
    assert rows["1.1"].total.value == 9  # type: ignore[union-attr]
    assert rows["5.1"].total.value == 2  # type: ignore[union-attr]
    by_party = {cell.label: cell.value for cell in rows["1.1"].breakdowns[0].cells}
    assert by_party == {"Kenya": 7, "Tanzania": 2}
    assert (rows["1.1"].target.value, rows["1.1"].baseline.value, rows["1.1"].baseline_year) == (12, 1, 2024)  # type: ignore[union-attr]
    # Indicators without a value say how they are measured, and why not computed.
    assert rows["5.3"].total is None
    assert [row.code for row in data.not_yet_possible] == ["5.3"]
    assert {count.code: count.count for count in data.indicators_by_method} == {
        "computed": 2,
        "manual": 1,
        "not_yet": 1,
    }


def test_the_same_report_shows_the_same_numbers_after_the_facts_change(world: Any) -> None:
    report = reported(world)
    before = reports.report_data(report, "en")
    # New facts and a new computation of the period do not change a report built on the old one.
    note(world.kenya, datetime(2026, 3, 1, tzinfo=UTC))
    compute.compute(PERIOD)
    plan_services.record_progress(
        world.secretariat, Activity.objects.get(number=5), period="2026", status="discontinued"
    )
    report.refresh_from_db()
    after = reports.report_data(report, "en")
    assert [(r.code, r.total) for r in after.indicators] == [(r.code, r.total) for r in before.indicators]
    assert after.activities == before.activities
    # Refreshing the draft takes the newest computation, with its numbers.
    report = reports.refresh(report)
    assert _by_code(reports.report_data(report, "en"))["1.1"].total.value == 10  # type: ignore[union-attr]


def test_activities_carry_their_status_notes_evidence_and_indicators(world: Any) -> None:
    report = reported(world)
    data = reports.report_data(report, "en")
    first, fifth = data.activities
    assert (first.status, first.notes, first.text) == (
        "completed",
        ["Launched."],
        "Set up the clearing-house mechanism",
    )
    assert [(link.title, link.url) for link in first.evidence] == [
        ("Launch page", "https://example.org/launch")
    ]
    assert [row.code for row in fifth.indicators] == ["5.1", "5.2", "5.3"]
    assert {count.code: count.count for count in data.activities_by_status} == {
        "not_started": 0,
        "under_way": 1,
        "completed": 1,
        "discontinued": 0,
        "not_reported": 0,
    }
    assert "<svg" in data.status_chart
    assert [row.code for row in data.headline] == ["1.1", "5.1"]


def test_counts_of_fewer_than_five_people_are_withheld(world: Any, settings: Any) -> None:
    report = reported(world)
    indicator = Indicator.objects.get(code="1.1")
    Value.objects.filter(computation=report.computation, indicator=indicator).update(people=True)
    rows = _by_code(reports.report_data(report, "en"))
    tanzania = next(cell for cell in rows["1.1"].breakdowns[0].cells if cell.label == "Tanzania")
    assert (tanzania.value, tanzania.shown, tanzania.withheld) == (None, "fewer than 5", True)
    assert rows["1.1"].total.value == 9  # type: ignore[union-attr]
    settings.MONITORING_PUBLIC_MIN_CELL = 10
    rows = _by_code(reports.report_data(report, "fr"))
    assert rows["1.1"].total.shown == "moins de 10"  # type: ignore[union-attr]


def test_the_narrative_appears_in_its_language_only(world: Any) -> None:
    report = reported(world)
    reports.write_narrative(report, "ar", {"summary": "ملخص التقدم المحرز", "gaps": "الثغرات"})
    reports.write_narrative(report, "en", {"summary": "Progress in brief."})
    arabic = reports.report_data(report, "ar")
    assert (arabic.direction, arabic.narrative["summary"].text) == ("rtl", "ملخص التقدم المحرز")
    assert arabic.narrative["gaps"].text == "الثغرات"
    assert arabic.narrative["summary"].title == "موجز تنفيذي"
    english = reports.report_data(report, "en")
    assert (english.narrative["summary"].text, english.narrative["gaps"].text) == ("Progress in brief.", "")
    # An empty text removes the language's narrative.
    reports.write_narrative(report, "en", {"summary": "  "})
    assert reports.report_data(report, "en").narrative["summary"].text == ""


def test_a_published_report_is_not_changed_a_new_draft_is_made(world: Any) -> None:
    report = reported(world)
    reports.write_narrative(report, "en", {"summary": "First words."})
    reports.publish(report, by=world.secretariat)
    computation = report.computation
    draft = reports.write_narrative(report, "en", {"summary": "Second thoughts."})
    assert draft.pk != report.pk and draft.state == Report.State.DRAFT
    assert draft.computation == computation
    assert reports.report_data(report, "en").narrative["summary"].text == "First words."
    assert reports.report_data(draft, "en").narrative["summary"].text == "Second thoughts."
    compute.compute(PERIOD)
    for change in (reports.refresh, reports.publish):
        with pytest.raises(ValidationError):
            change(report)
    report.refresh_from_db()
    assert (report.state, report.computation) == (Report.State.PUBLISHED, computation)


def test_a_report_for_a_period_without_computation_computes_it(world: Any) -> None:
    report = reports.create(2027, 2028)
    assert report.computation is not None and report.computation.state == Computation.State.DONE
    assert (report.computation.start, report.computation.end) == (
        PERIOD.years(2027, 2028).start,
        PERIOD.years(2027, 2028).end,
    )
    with pytest.raises(ValidationError):
        reports.create(2028, 2027)
    with pytest.raises(ValidationError):
        reports.write_narrative(report, "en", {"preface": "No such section."})
