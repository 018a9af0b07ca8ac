"""The spreadsheet template: what a person sees in Excel, and what the upload relies on."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from clearinghouse.exchange import layout
from clearinghouse.needs.formats import definition
from clearinghouse.needs.offline.template import NEEDS_SHEET, build_workbook
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _open(language: str) -> Workbook:
    return load_workbook(io.BytesIO(build_workbook(language)))


def _defined(workbook: Workbook, name: str) -> tuple[str, str]:
    sheet, cell = next(iter(workbook.defined_names[name].destinations))
    return sheet, cell.replace("$", "")


def test_the_needs_sheet_has_labels_with_stars_then_codes_then_formatted_rows() -> None:
    workbook = _open("fr")
    needs = workbook[_defined(workbook, NEEDS_SHEET)[0]]
    form = definition().form("need")
    labels = [cell.value for cell in needs[layout.LABEL_ROW]]
    codes = [cell.value for cell in needs[layout.CODE_ROW]]
    assert codes == [*(item.name for item in form.fields), layout.LANGUAGE_FIELD]
    # French labels from the definition; required columns end with a star.
    assert labels[0] == f"{form.field('title').label('fr')} *"
    assert labels[codes.index("gap")] == form.field("gap").label("fr")
    # Rows are formatted in advance: text columns as Text, so "+1" or "007" stay as typed.
    assert needs.cell(layout.FIRST_ROW + 499, 1).number_format == "@"
    assert needs.cell(layout.FIRST_ROW, codes.index("start_year") + 1).number_format == "0"


def test_every_choice_column_has_a_drop_down_from_the_hidden_lists_sheet() -> None:
    workbook = _open("fr")
    needs = workbook[_defined(workbook, NEEDS_SHEET)[0]]
    lists_title = _defined(workbook, layout.FORMAT_CELL)[0]
    assert workbook[lists_title].sheet_state == "hidden"
    codes = [cell.value for cell in needs[layout.CODE_ROW]]
    drop_downs = {
        str(cell_range).split(":")[0]: validation
        for validation in needs.data_validations.dataValidation
        if validation.type == "list"
        for cell_range in validation.sqref.ranges
    }
    coded = [
        item.name
        for item in definition().form("need").fields
        if item.type in {"choice", "multi_choice", "currency", "language_list"}
    ]
    for name in [*coded, layout.LANGUAGE_FIELD]:
        letter = needs.cell(layout.FIRST_ROW, codes.index(name) + 1).column_letter
        validation = drop_downs[f"{letter}{layout.FIRST_ROW}"]
        assert lists_title in validation.formula1
    # A single choice refuses other values; several codes typed with ";" must get through.
    priority = drop_downs[f"{needs.cell(1, codes.index('priority') + 1).column_letter}{layout.FIRST_ROW}"]
    subjects = drop_downs[f"{needs.cell(1, codes.index('subjects') + 1).column_letter}{layout.FIRST_ROW}"]
    assert priority.showErrorMessage and not subjects.showErrorMessage


def test_the_lists_hold_codes_with_labels_in_the_workbook_language_and_only_allowed_terms() -> None:
    workbook = _open("es")
    lists = workbook[_defined(workbook, layout.FORMAT_CELL)[0]]
    columns = {cell.value: cell.column for cell in lists[layout.LIST_KEY_ROW] if cell.value}
    targets = [
        row[0]
        for row in lists.iter_rows(
            min_row=layout.FIRST_LIST_ROW,
            min_col=columns["gbf-targetsGBF-T"],
            max_col=columns["gbf-targetsGBF-T"],
            values_only=True,
        )
        if row[0]
    ]
    # Targets only, not the goals (the field's "only" prefix), each as "CODE — label".
    assert targets[0].startswith("GBF-T1 — ")
    assert not any(entry.startswith("GBF-G") for entry in targets)
    priorities = [
        row[0]
        for row in lists.iter_rows(
            min_row=layout.FIRST_LIST_ROW,
            min_col=columns["priority"],
            max_col=columns["priority"],
            values_only=True,
        )
        if row[0]
    ]
    assert priorities[0] == f"high — {definition().form('need').field('priority').choices[0].label('es')}"


def test_the_workbook_records_the_format_version_and_language_for_the_upload() -> None:
    workbook = _open("ru")
    values = {}
    for name in (layout.FORMAT_CELL, layout.VERSION_CELL, layout.LANGUAGE_CELL):
        sheet, cell = _defined(workbook, name)
        values[name] = workbook[sheet][cell].value
    assert values == {layout.FORMAT_CELL: "cb-needs", layout.VERSION_CELL: "1.0", layout.LANGUAGE_CELL: "ru"}


def test_the_arabic_workbook_reads_right_to_left_on_every_sheet() -> None:
    workbook = _open("ar")
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    assert not any(sheet.sheet_view.rightToLeft for sheet in _open("en").worksheets)


def test_the_instructions_explain_semicolons_and_describe_every_column() -> None:
    workbook = _open("en")
    instructions = workbook.worksheets[0]
    text = " ".join(str(cell.value) for row in instructions.iter_rows() for cell in row if cell.value)
    assert "version 1.0" in text
    assert "semicolon (;)" in text
    assessment, need = definition().form("assessment"), definition().form("need")
    codes = {row[3] for row in instructions.iter_rows(values_only=True) if row[3]}
    assert {item.name for item in (*assessment.fields, *need.fields)} <= codes
    # The legend carries the definition's help texts.
    assert need.field("gap").help("en") in text
