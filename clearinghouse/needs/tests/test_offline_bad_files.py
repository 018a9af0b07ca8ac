"""Every kind of bad upload is refused whole: nothing is saved, and each problem names its
sheet, row and column in the uploader's language."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.exchange.problems import Problem
from clearinghouse.needs.formats import definition
from clearinghouse.needs.models import Need, NeedsAssessment
from clearinghouse.needs.offline.filling import FRENCH_ASSESSMENT, FRENCH_NEED, fill_workbook, generated_needs
from clearinghouse.needs.offline.importer import ImportResult, import_workbook
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.publishing.models import Revision
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies

NEED_FORM = definition().form("need")


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _upload(world: World, content: bytes, language: str = "en") -> ImportResult:
    result = import_workbook(world.authorised_user, world.kenya, content, language)
    # Whatever was wrong, nothing at all was saved.
    assert result.created == []
    assert not Need.objects.exists()
    assert not NeedsAssessment.objects.exists()
    assert not Revision.objects.exists()
    return result


def _only_problem(result: ImportResult) -> Problem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def _column(name: str, language: str = "en") -> str:
    """The column reference a problem gives: letter and label, as the template has them."""
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[item.name for item in NEED_FORM.fields].index(name)]
    return f"{letter} ({NEED_FORM.field(name).label(language)})"


def _filled(rows: list[dict[str, Any]], language: str = "en", **kwargs: Any) -> bytes:
    return fill_workbook(build_workbook(language), rows, **kwargs)


def test_an_oversized_file_is_refused_before_it_is_opened(world: World, settings: Any) -> None:
    settings.NEEDS_UPLOAD_MAX_BYTES = 20_000
    problem = _only_problem(_upload(world, _filled(generated_needs(3))))
    assert "larger than" in problem.message
    assert (problem.sheet, problem.row, problem.column) == ("", None, "")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, id="png"),
        pytest.param(b"<!doctype html><html><body>Needs</body></html>", id="html"),
        pytest.param(b"", id="empty"),
        pytest.param(b"PK\x03\x04 not really a zip", id="broken-zip"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(world: World, content: bytes) -> None:
    problem = _only_problem(_upload(world, content))
    assert ".xlsx" in problem.message or "empty" in problem.message


def test_a_zip_that_is_not_a_workbook_is_refused(world: World) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("needs.txt", "one need per line")
    assert "not an Excel workbook" in _only_problem(_upload(world, buffer.getvalue())).message


def test_a_workbook_with_macros_is_refused(world: World) -> None:
    source = zipfile.ZipFile(io.BytesIO(_filled(generated_needs(1))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            archive.writestr(item, data)
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    assert "macros" in _only_problem(_upload(world, buffer.getvalue())).message


def test_a_workbook_that_is_not_the_template_is_refused(world: World) -> None:
    workbook = Workbook()
    workbook.active.append(["title", "description"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "not the needs template" in _only_problem(_upload(world, buffer.getvalue())).message


def test_a_template_of_another_version_is_refused(world: World) -> None:
    workbook = load_workbook(io.BytesIO(_filled(generated_needs(1))))
    sheet, cell = next(iter(workbook.defined_names[layout.VERSION_CELL].destinations))
    workbook[sheet][cell.replace("$", "")] = "0.9"
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = _only_problem(_upload(world, buffer.getvalue())).message
    assert "version 0.9" in message and "version 1.0" in message


def test_unknown_retired_and_excluded_codes_are_named(world: World) -> None:
    Term.objects.filter(code="SUBJ-RESTORATION").update(is_active=False)
    rows = [
        FRENCH_NEED | {"subjects": "SUBJ-PROTECTED-AREAS; SUBJ-NOPE", "priority": "urgent"},
        FRENCH_NEED | {"subjects": "SUBJ-RESTORATION", "gbf_targets": "GBF-GA", "currency": "XYZ"},
        # Spaces separate codes too (as in ODK exports).
        FRENCH_NEED
        | {"support_languages": "fr;xx", "instruments": "CBD CPB", "subjects": "SUBJ-PROTECTED-AREAS"},
    ]
    problems = {
        (problem.row, problem.column): problem.message for problem in _upload(world, _filled(rows)).problems
    }
    assert "SUBJ-NOPE" in problems[(3, _column("subjects"))]
    assert "urgent" in problems[(3, _column("priority"))]
    assert "No longer in use: SUBJ-RESTORATION" in problems[(4, _column("subjects"))]
    # GBF-GA is a goal; the field takes targets only.
    assert "GBF-GA" in problems[(4, _column("gbf_targets"))]
    assert "ISO 4217" in problems[(4, _column("currency"))]
    assert "xx" in problems[(5, _column("support_languages"))]
    assert len(problems) == 6


def test_empty_required_fields_are_reported_for_every_row_and_the_assessment(world: World) -> None:
    rows = [FRENCH_NEED, FRENCH_NEED | {"title": "", "contact_email": None}, FRENCH_NEED | {"subjects": "  "}]
    result = _upload(world, _filled(rows, assessment=FRENCH_ASSESSMENT | {"method": ""}))
    places = {(problem.sheet, problem.row, problem.column) for problem in result.problems}
    assert places == {
        ("Needs", 4, _column("title")),
        ("Needs", 4, _column("contact_email")),
        ("Needs", 5, _column("subjects")),
        # The assessment's answers are in column C, one field per row: method is on row 7.
        ("Assessment", 7, "C (Method)"),
    }
    assert {problem.message for problem in result.problems} == {"Required: fill this in."}


def test_ranges_years_emails_and_lengths_are_checked(world: World) -> None:
    rows = [
        FRENCH_NEED | {"estimated_cost": -5},  # a negative number typed as a number stays a number
        FRENCH_NEED | {"start_year": 1999, "end_year": "2030.5"},
        FRENCH_NEED | {"contact_email": "awa at example.org", "title": "x" * 301},
        FRENCH_NEED | {"co_financing": "beaucoup"},
    ]
    problems = {
        (problem.row, problem.column): problem.message for problem in _upload(world, _filled(rows)).problems
    }
    assert problems == {
        (3, _column("estimated_cost")): "Must be at least 0.",
        (4, _column("start_year")): "Must be at least 2000.",
        (4, _column("end_year")): "Must be a year, such as 2027.",
        (5, _column("contact_email")): "Not a valid e-mail address.",
        (5, _column("title")): "At most 300 characters; this has 301.",
        (6, _column("co_financing")): "Must be a number.",
    }


def test_one_bad_row_among_good_ones_stops_the_whole_file(world: World) -> None:
    rows = [*generated_needs(4), FRENCH_NEED | {"priority": ""}]
    problem = _only_problem(_upload(world, _filled(rows, assessment=FRENCH_ASSESSMENT)))
    assert (problem.sheet, problem.row, problem.column) == ("Needs", 7, _column("priority"))


def test_too_many_rows_are_refused(world: World, settings: Any) -> None:
    settings.NEEDS_UPLOAD_MAX_ROWS = 3
    problem = _only_problem(_upload(world, _filled(generated_needs(4))))
    assert (problem.sheet, problem.row) == ("Needs", 6)
    assert "More than 3 needs" in problem.message


def test_a_removed_heading_row_is_reported_once_not_on_every_row(world: World) -> None:
    workbook = load_workbook(io.BytesIO(_filled(generated_needs(50))))
    sheet = workbook["Needs"]
    sheet.cell(layout.CODE_ROW, 2).value = None  # the description column's code
    buffer = io.BytesIO()
    workbook.save(buffer)
    problem = _only_problem(_upload(world, buffer.getvalue()))
    assert (problem.sheet, problem.row, problem.column) == (
        "Needs",
        2,
        NEED_FORM.field("description").label("en"),
    )


def test_problems_are_told_in_the_uploaders_language(world: World) -> None:
    result = _upload(world, _filled([FRENCH_NEED | {"title": ""}], language="fr"), language="fr")
    problem = _only_problem(result)
    # Column headings as in the French workbook, message from the French catalogue.
    assert problem.column == f"A ({NEED_FORM.field('title').label('fr')})"
    assert problem.column == "A (Titre)"
    with translation.override("fr"):
        assert problem.message == gettext("Required: fill this in.")
