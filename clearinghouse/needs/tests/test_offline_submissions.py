"""Submissions of the XLSForm exported from KoboToolbox (JSON) and ODK Central (CSV, OData
JSON): the same checks, all or nothing, and the same file imported twice creates nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.needs.models import Need, NeedsAssessment
from clearinghouse.needs.offline.importer import ImportResult, import_submissions
from clearinghouse.vocabularies.services import data_files, load_vocabularies

SPANISH_NEED = {
    "format_version": "1.0",
    "title": "Capacitación en restauración de manglares",
    "description": "Las comunidades costeras no cuentan con técnicas de restauración de manglares.",
    "priority": "medium",
    "subjects": "SUBJ-PROTECTED-AREAS SUBJ-RESTORATION",  # select_multiple: codes separated by spaces
    "instruments": "CBD",
    "capacity_levels": "individual",
    "support_types": "training expertise",
    "support_languages": "es en",
    "estimated_cost": "12000.5",
    "currency": "USD",
    "contact_name": "Lucía Fernández",
    "contact_email": "lucia@example.org",
}


def _kobo(needs: list[dict[str, Any]], **top: Any) -> bytes:
    """KoboToolbox's API answer: group paths in the keys, the repeat as a list."""
    submission = {
        "_id": 41,
        "_uuid": "8f0c4a0e",
        "format_name": "cb-needs",
        "format_version": "1.0",
        "language": "es",
        "has_assessment": "yes",
        "assessment/title": "Evaluación nacional de necesidades de capacidad",
        "assessment/scope": "national",
        "assessment/period_start": "2026",
        "assessment/period_end": "2030",
        "assessment/method": "Talleres regionales y encuestas.",
        "needs": [{f"needs/{key}": value for key, value in need.items()} for need in needs],
        "meta/instanceID": "uuid:8f0c4a0e",
    } | top
    return json.dumps({"count": 1, "next": None, "results": [submission]}, ensure_ascii=False).encode()


def _central_csv(needs: list[dict[str, Any]]) -> bytes:
    """ODK Central's table of the needs repeat: group path joined with "-", keys at the end."""
    columns = list(SPANISH_NEED)
    lines = [",".join([*(f"needs-{column}" for column in columns), "PARENT_KEY", "KEY"])]
    for number, need in enumerate(needs, start=1):
        cells = [str(need.get(column, "")) for column in columns]
        lines.append(",".join([*(f'"{cell}"' for cell in cells), "uuid:1", f"uuid:1/needs[{number}]"]))
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _import(world: World, content: bytes, language: str = "es") -> ImportResult:
    return import_submissions(world.focal_point, world.kenya, content, language)


def test_a_kobo_json_export_becomes_an_assessment_and_its_needs(world: World) -> None:
    result = _import(world, _kobo([SPANISH_NEED, SPANISH_NEED | {"title": "Monitoreo de aves playeras"}]))
    assert result.problems == []
    assessment = NeedsAssessment.objects.get()
    assert (assessment.title, assessment.original_language) == (
        {"es": "Evaluación nacional de necesidades de capacidad"},
        "es",
    )
    need = Need.objects.order_by("identifier").first()
    assert need is not None
    assert (need.assessment, need.original_language, need.priority) == (assessment, "es", "medium")
    assert sorted(term.code for term in need.subjects.all()) == ["SUBJ-PROTECTED-AREAS", "SUBJ-RESTORATION"]
    assert sorted(term.code for term in need.support_types.all()) == ["expertise", "training"]
    assert (need.estimated_cost, need.support_languages) == (Decimal("12000.50"), ["es", "en"])


def test_the_same_export_imported_twice_creates_nothing_new(world: World) -> None:
    content = _kobo([SPANISH_NEED])
    assert len(_import(world, content).created) == 2
    again = _import(world, content)
    assert (again.created, again.unchanged) == ([], 2)


def test_an_odata_json_export_with_nested_groups_is_read_too(world: World) -> None:
    submission = {
        "__id": "uuid:5",
        "format_name": "cb-needs",
        "format_version": "1.0",
        "language": "es",
        "has_assessment": "no",
        "assessment": {"title": None, "scope": None},
        "needs": [SPANISH_NEED],
    }
    result = _import(world, json.dumps({"value": [submission]}).encode())
    assert result.problems == []
    assert [type(record) for record in result.created] == [Need]


def test_a_central_csv_of_the_needs_repeat_is_imported(world: World) -> None:
    result = _import(
        world, _central_csv([SPANISH_NEED, SPANISH_NEED | {"title": "Monitoreo de aves playeras"}])
    )
    assert result.problems == []
    assert Need.objects.count() == 2
    assert not NeedsAssessment.objects.exists()


def test_bad_submissions_are_named_by_submission_need_and_field_and_nothing_is_saved(world: World) -> None:
    needs = [SPANISH_NEED, SPANISH_NEED | {"subjects": "SUBJ-NOPE", "contact_email": ""}]
    result = _import(world, _kobo(needs, **{"assessment/period_end": "2200"}), language="en")
    places = {(problem.sheet, problem.row, problem.column) for problem in result.problems}
    assert places == {
        ("Submission 1", None, "assessment/period_end (To (year))"),
        ("Submission 1", 2, "needs/subjects (Thematic subjects)"),
        ("Submission 1", 2, "needs/contact_email (Contact e-mail)"),
    }
    assert not Need.objects.exists() and not NeedsAssessment.objects.exists()


def test_bad_csv_rows_are_named_by_row_and_column_letter(world: World) -> None:
    result = _import(
        world, _central_csv([SPANISH_NEED, SPANISH_NEED | {"priority": "urgente"}]), language="en"
    )
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("CSV file", 3, "D (Priority)")
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b'{"results": [{"needs": []}]}', "no format_version", id="not-our-form"),
        pytest.param(_kobo([SPANISH_NEED], format_version="0.9"), "version 0.9", id="other-version"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV or JSON", id="png"),
        pytest.param(b"<html><body>hi</body></html>", "not a CSV or JSON", id="html"),
        pytest.param(b'{"results": [', "damaged", id="broken-json"),
    ],
)
def test_files_that_are_not_exports_of_the_form_are_refused(
    world: World, content: bytes, message: str
) -> None:
    result = _import(world, content, language="en")
    assert [problem.row for problem in result.problems] == [None]
    assert message in result.problems[0].message
    assert not Need.objects.exists()
