"""The XLSForm converts with pyxform without errors or warnings, and its questions are the
format's fields, so that exported submissions map back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from clearinghouse.needs.formats import definition
from clearinghouse.needs.offline.xlsform import LANGUAGE_NAMES, build_xlsform
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _sheet(name: str) -> list[dict[str, str]]:
    workbook = load_workbook(io.BytesIO(build_xlsform()))
    rows = list(workbook[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_pyxform_converts_it_without_warnings() -> None:
    warnings: list[str] = []
    result = convert(xlsform=build_xlsform(), warnings=warnings, file_type=".xlsx")
    assert warnings == []
    assert '<repeat nodeset="/cb_needs_1_0/needs"' in result.xform or '/needs"' in result.xform
    for language in LANGUAGE_NAMES.values():
        assert f'<translation lang="{language}"' in result.xform


def test_question_names_are_the_fields_of_the_format() -> None:
    survey = _sheet("survey")
    format_definition = definition()
    names = [row["name"] for row in survey if row["type"] not in {"end_group", "end_repeat"}]
    assert {
        item.name for form in ("assessment", "need") for item in format_definition.form(form).fields
    } <= set(names)
    need_start = names.index("needs")
    assert names[need_start + 2 :] == [item.name for item in format_definition.form("need").fields]


def test_labels_and_hints_are_in_the_six_languages() -> None:
    survey = {row["name"]: row for row in _sheet("survey")}
    gap = definition().form("need").field("gap")
    for code, language in LANGUAGE_NAMES.items():
        assert survey["gap"][f"label::{language}"] == gap.label(code)
        assert survey["gap"][f"hint::{language}"] == gap.help(code)


def test_coded_fields_are_selects_with_their_vocabulary_and_bounds_are_constraints() -> None:
    survey = {row["name"]: row for row in _sheet("survey")}
    choices = _sheet("choices")
    assert survey["subjects"]["type"] == "select_multiple subjects"
    assert survey["priority"]["type"] == "select_one priority"
    targets = [row["name"] for row in choices if row["list_name"] == "gbf_targetsGBF_T"]
    assert survey["gbf_targets"]["type"] == "select_multiple gbf_targetsGBF_T"
    assert targets[0] == "GBF-T1" and len(targets) == 23
    assert survey["estimated_cost"]["constraint"] == ". >= 0 and . <= 1000000000000"
    assert "string-length(.) <= 300" in survey["title"]["constraint"]
    assert survey["contact_email"]["required"] == "yes"
