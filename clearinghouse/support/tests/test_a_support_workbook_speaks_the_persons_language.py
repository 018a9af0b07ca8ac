"""A support type's workbook is the exchange workbook: instructions with a legend, headings in the
person's language above the row of field codes, drop-downs for vocabularies and choices, right
to left in Arabic; a bad cell is reported by sheet, row, column letter and heading, in the
uploader's language."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.publishing import exchange
from clearinghouse.support.models import Offer

pytestmark = pytest.mark.usefixtures("vocabularies")


def _workbook(client: Client, language: str) -> Workbook:
    response = client.get(f"/{language}/support/offers/export/", {"format": "xlsx", "template": "1"})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _table(workbook: Workbook) -> Worksheet:
    title, _cell = next(iter(workbook.defined_names[exchange.SHEET].destinations))
    # Defined names quote an apostrophe in a sheet's title by doubling it.
    return workbook[title.replace("''", "'")]


def _letter(sheet: Worksheet, code: str) -> str:
    codes = [cell.value for cell in sheet[layout.CODE_ROW]]
    return str(sheet.cell(1, codes.index(code) + 1).column_letter)


def test_the_workbook_has_instructions_and_drop_downs_for_vocabularies_and_choices(client: Client) -> None:
    workbook = _workbook(client, "fr")
    instructions = workbook.worksheets[0]
    assert instructions.title == "Instructions"
    legend = [row[3] for row in instructions.iter_rows(values_only=True)]
    # Every field is explained in the legend, by its code.
    assert {"title", "support_types", "value_kind", "eligibility", "currency"} <= set(legend)
    sheet = _table(workbook)
    with translation.override("fr"):
        expected = str(Offer._meta.get_field("support_types").verbose_name)
    assert sheet[f"{_letter(sheet, 'support_types')}{layout.LABEL_ROW}"].value == expected
    drop_downs = {
        str(cell_range).split(":")[0]
        for validation in sheet.data_validations.dataValidation
        if validation.type == "list"
        for cell_range in validation.sqref.ranges
    }
    for code in ("support_types", "subjects", "value_kind", "eligibility", "currency", "languages"):
        assert f"{_letter(sheet, code)}{layout.FIRST_ROW}" in drop_downs, code
    lists = workbook[
        next(iter(workbook.defined_names[layout.FORMAT_CELL].destinations))[0].replace("''", "'")
    ]
    assert lists.sheet_state == "hidden"


def test_an_arabic_workbook_reads_right_to_left_on_every_sheet(client: Client) -> None:
    workbook = _workbook(client, "ar")
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    assert not any(sheet.sheet_view.rightToLeft for sheet in _workbook(client, "en").worksheets)


def test_a_bad_cell_is_reported_by_sheet_row_column_and_heading_in_french(
    world: World, client: Client
) -> None:
    client.force_login(world.authorised_user)
    workbook = _workbook(client, "fr")
    sheet = _table(workbook)
    codes = [cell.value for cell in sheet[layout.CODE_ROW]]
    for code, value in {
        "original_language": "fr",
        "title.fr": "Formation",
        "contact_email": "pas-une-adresse",
    }.items():
        sheet.cell(layout.FIRST_ROW, codes.index(code) + 1, value)
    output = io.BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("offres.xlsx", output.getvalue())
    client.post("/fr/support/offers/import/", {"owner": f"country:{world.kenya.pk}", "file": upload})
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED
    [problem] = job.problems
    with translation.override("fr"):
        heading = str(Offer._meta.get_field("contact_email").verbose_name)
        message = "Adresse électronique non valide."
    assert problem == {
        "sheet": sheet.title,
        "row": layout.FIRST_ROW,
        "column": f"{_letter(sheet, 'contact_email')} ({heading})",
        "message": message,
    }
    assert not Offer.objects.exists()
