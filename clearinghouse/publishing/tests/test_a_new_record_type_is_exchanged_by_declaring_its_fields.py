"""A record type gets the exchange workbook, CSV and JSON, and an import run as a job, by declaring
its fields in its registration (the case study of docs/records.md declares nothing else)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.exchange.services import start_import
from clearinghouse.publishing import exchange, registry
from clearinghouse.publishing.models import State
from clearinghouse.publishing.tests.testapp.models import Case
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _filled(language: str, rows: list[dict[str, str]]) -> bytes:
    """The type's empty workbook, filled in as a person would: field codes are in row 2."""
    workbook = load_workbook(io.BytesIO(exchange.template(registry.of(Case), language)))
    sheet_title, _cell = next(iter(workbook.defined_names[exchange.SHEET].destinations))
    sheet = workbook[sheet_title]
    codes = [cell.value for cell in sheet[layout.CODE_ROW]]
    for number, row in enumerate(rows, start=layout.FIRST_ROW):
        for code, value in row.items():
            sheet.cell(number, codes.index(code) + 1, value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _upload(world: World, content: bytes, language: str) -> ImportJob:
    upload = SimpleUploadedFile("cases.xlsx", content)
    job = start_import(
        world.authorised_user, world.kenya, exchange.kind_name(registry.of(Case)), upload, language
    )
    job.refresh_from_db()
    return job


def test_the_declared_fields_make_the_workbook_with_the_types_labels_and_drop_downs() -> None:
    workbook = load_workbook(io.BytesIO(exchange.template(registry.of(Case), "fr")))
    sheet_title, _cell = next(iter(workbook.defined_names[exchange.SHEET].destinations))
    sheet = workbook[sheet_title]
    codes = [cell.value for cell in sheet[layout.CODE_ROW]]
    headings = [cell.value for cell in sheet[layout.LABEL_ROW]]
    assert codes[:2] == ["identifier", "title.ar"]
    assert "subjects" in codes and "contact_email" in codes
    # The French label the declaration gives, and the field's drop-down of subjects.
    assert headings[codes.index("subjects")] == "Sujets"
    letter = sheet.cell(1, codes.index("subjects") + 1).column_letter
    assert any(
        str(cell_range).startswith(f"{letter}{layout.FIRST_ROW}")
        for validation in sheet.data_validations.dataValidation
        if validation.type == "list"
        for cell_range in validation.sqref.ranges
    )


def test_a_filled_workbook_imports_as_drafts_through_the_workflow(world: World) -> None:
    content = _filled(
        "fr",
        [
            {
                "title.fr": "Restaurer une mangrove avec les pêcheurs",
                "summary.fr": "Deux villages ont replanté 40 hectares.",
                "subjects": "SUBJ-RESTORATION",
                "contact_email": "awa@example.org",
                "original_language": "fr",
            }
        ],
    )
    job = _upload(world, content, "fr")
    assert job.state == JobState.DONE, job.problems
    case = Case.objects.get()
    assert (case.state, case.owner, case.original_language) == (State.DRAFT, world.kenya, "fr")
    assert case.title == {"fr": "Restaurer une mangrove avec les pêcheurs"}
    assert [term.code for term in case.subjects.all()] == ["SUBJ-RESTORATION"]
    assert case.contact_email == "awa@example.org"


def test_a_bad_cell_is_reported_by_sheet_row_and_column_and_nothing_is_saved(world: World) -> None:
    content = _filled(
        "fr",
        [
            {"title.fr": "Une bonne ligne", "original_language": "fr"},
            {"title.fr": "Une ligne fautive", "subjects": "SUBJ-NOPE", "original_language": "fr"},
        ],
    )
    job = _upload(world, content, "fr")
    assert job.state == JobState.FAILED
    [problem] = job.problems
    workbook = load_workbook(io.BytesIO(content))
    codes = [cell.value for cell in workbook[problem["sheet"]][layout.CODE_ROW]]
    letter = workbook[problem["sheet"]].cell(1, codes.index("subjects") + 1).column_letter
    assert (problem["row"], problem["column"]) == (layout.FIRST_ROW + 1, f"{letter} (Sujets)")
    assert "SUBJ-NOPE" in problem["message"] and "liste" in problem["message"]
    assert not Case.objects.exists(), "all or nothing: the good row is not saved either"
