"""A Party's needs exported as .xlsx, CSV and JSON, with codes and labels, and imported again
without losing any value of the format."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.needs.formats import definition
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.export import export_needs
from clearinghouse.needs.offline.filling import FRENCH_NEED, fill_workbook, generated_needs
from clearinghouse.needs.offline.importer import import_submissions, import_workbook, owned
from clearinghouse.needs.offline.template import NEEDS_SHEET, build_workbook
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.services import data_files, load_vocabularies

FIELDS = definition().form("need").fields


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


@pytest.fixture
def kenyan_needs(world: World) -> list[Need]:
    rows = [
        *generated_needs(3),
        FRENCH_NEED | {"target_groups": "women;youth", "aichi_targets": "AICHI-T11", "co_financing": 1500.25},
        FRENCH_NEED
        | {"title": "Training in seed banking for botanic gardens", "language": "en", "currency": ""},
    ]
    result = import_workbook(
        world.authorised_user, world.kenya, fill_workbook(build_workbook("fr"), rows), "fr"
    )
    assert result.problems == []
    return list(owned(Need, world.kenya).order_by("identifier"))


def _values(need: Need) -> dict[str, Any]:
    values: dict[str, Any] = {"original_language": need.original_language}
    for item in FIELDS:
        value = getattr(need, item.name)
        values[item.name] = sorted(term.code for term in value.all()) if item.vocabulary else value
    return values


def test_each_export_imports_again_without_loss(world: World, kenyan_needs: list[Need]) -> None:
    originals = [_values(need) for need in kenyan_needs]
    for fmt, owner in (
        ("xlsx", world.tanzania),
        ("csv", world.tanzanian_ngo),
        ("json", world.tanzanian_iplc),
    ):
        exported = export_needs(owned(Need, world.kenya), fmt, "es")
        importer = import_workbook if fmt == "xlsx" else import_submissions
        result = importer(world.secretariat, owner, exported, "es")
        assert result.problems == [], fmt
        copies = sorted(result.created, key=lambda record: record.identifier)
        assert [_values(copy) for copy in copies if isinstance(copy, Need)] == originals, fmt


def test_the_json_export_keeps_every_translation_and_every_field(
    world: World, kenyan_needs: list[Need]
) -> None:
    need = kenyan_needs[0]
    translated = need.title | {"en": "Strengthening monitoring"}
    workflow.save_draft(need, actor=world.authorised_user, values={"title": translated}, base_revision=None)
    document = json.loads(export_needs(owned(Need, world.kenya), "json", "en").decode("utf-8"))
    assert (document["format_name"], document["format_version"]) == ("cb-needs", "1.0")
    first = document["needs"][0]
    assert first["title"] == translated
    assert {item.name for item in FIELDS} <= set(first)
    assert first["priority"]["code"] in {"high", "medium", "low"}
    assert first["subjects"][0] == {
        "code": "SUBJ-PROTECTED-AREAS",
        "label": "Protected areas and other effective area-based conservation measures",
    }
    assert first["estimated_cost"].endswith(".00")
    assert (first["identifier"], first["original_language"]) == (need.identifier, "fr")


def test_the_xlsx_export_is_the_template_filled_in_with_codes_and_labels(
    world: World, kenyan_needs: list[Need]
) -> None:
    workbook = load_workbook(io.BytesIO(export_needs(owned(Need, world.kenya), "xlsx", "ar")))
    sheet, _cell = next(iter(workbook.defined_names[NEEDS_SHEET].destinations))
    rows = list(workbook[sheet].iter_rows(min_row=layout.CODE_ROW, values_only=True))
    codes, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert codes[-1] == layout.LANGUAGE_FIELD
    assert first["language"] == "fr"
    assert str(first["instruments"]).startswith("CBD — ")  # the label in Arabic follows the code
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)


def test_the_csv_export_is_utf8_with_a_byte_order_mark_for_excel(
    world: World, kenyan_needs: list[Need]
) -> None:
    content = export_needs(owned(Need, world.kenya), "csv", "zh")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["identifier"] for row in rows] == [need.identifier for need in kenyan_needs]
    assert rows[3]["target_groups"].startswith("women — ")
