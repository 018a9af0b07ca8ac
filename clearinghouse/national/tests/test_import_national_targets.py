"""Importing national targets from a spreadsheet: a good file adds them, importing it again
changes nothing, a wrong file is refused whole with every problem named by row and column."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clearinghouse.core.testing import World
from clearinghouse.national import importer
from clearinghouse.national.models import NationalTarget

pytestmark = pytest.mark.usefixtures("vocabularies")

GOOD = (
    "code,title,description,language,gbf_targets,adopted_year\n"
    "T3,Conserve 30% of land and sea,Protected areas,en,GBF-T3,2025\n"
    "T6,Halve invasive species,,en,GBF-T6; GBF-T21,2025\n"
)


def _upload(client: Client, content: bytes, name: str = "targets.csv", language: str = "en") -> str:
    url = reverse("national:import_targets", args=["KE"]).replace("/en/", f"/{language}/", 1)
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    return response.content.decode() if response.status_code == 200 else response.headers["Location"]


def test_a_good_file_adds_the_targets_and_importing_it_again_changes_nothing(
    world: World, client: Client
) -> None:
    client.force_login(world.focal_point)
    assert _upload(client, GOOD.encode()).endswith(reverse("national:targets", args=["KE"]))
    targets = {target.code: target for target in NationalTarget.objects.filter(party=world.kenya)}
    assert set(targets) == {"T3", "T6"}
    assert sorted(term.code for term in targets["T6"].gbf_targets.all()) == ["GBF-T21", "GBF-T6"]
    _upload(client, GOOD.encode())
    assert NationalTarget.objects.filter(party=world.kenya).count() == 2


def test_a_translation_file_adds_a_language_to_the_same_targets(world: World) -> None:
    importer.import_targets(
        io.BytesIO(GOOD.encode()), len(GOOD.encode()), world.kenya, actor=world.focal_point
    )
    swahili = b"code,title,language\nT3,Kuhifadhi asilimia 30 ya nchi kavu na bahari,sw\n"
    outcome = importer.import_targets(io.BytesIO(swahili), len(swahili), world.kenya, actor=world.focal_point)
    assert (outcome.added, outcome.updated) == (0, 1)
    target = NationalTarget.objects.get(party=world.kenya, code="T3")
    assert set(target.title) == {"en", "sw"} and target.description == {"en": "Protected areas"}


def test_a_wrong_file_is_refused_whole_with_every_problem_in_the_readers_language(
    world: World, client: Client
) -> None:
    bad = (
        b"code,title,description,language,gbf_targets,adopted_year\n"
        b"T3,Conserve 30% of land and sea,,en,GBF-T3,2025\n"
        b",No code,,en,GBF-T99,1800\n"
        b"T3,Twice,,zz,,\n"
    )
    client.force_login(world.focal_point)
    page = _upload(client, bad, language="fr")
    assert not NationalTarget.objects.exists()
    # Row 3: the code is missing, the GBF target is unknown and the year out of range; row 4:
    # the code repeats row 2's and the language is not one.
    for expected in (
        "Ligne 3, colonne A (code) : Cette cellule est obligatoire.",
        "Ligne 3, colonne E (gbf_targets) : Ce ne sont pas des cibles du Cadre mondial : GBF-T99.",
        "Ligne 3, colonne F (adopted_year)",
        "Ligne 4, colonne A (code) : Le code T3 figure aussi à la ligne 2.",
        "Ligne 4, colonne D (language) : « zz » n’est pas un code de langue.",
    ):
        assert expected in page
    assert "rien n’a été enregistré" in page


def test_a_file_that_is_not_a_spreadsheet_is_refused(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    page = _upload(client, b"\x00\x01\x02binary", name="targets.pdf")
    assert "not in a format this import reads" in page
    assert not NationalTarget.objects.exists()


def test_the_template_downloads_and_imports_as_it_is(world: World, client: Client) -> None:
    response = client.get(reverse("national:import_template", args=["KE"]))
    assert response.status_code == 200
    content = response.content
    workbook = load_workbook(io.BytesIO(content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == list(importer.COLUMNS)
    outcome = importer.import_targets(io.BytesIO(content), len(content), world.kenya, actor=world.focal_point)
    assert outcome.added == 1


def test_an_xlsx_with_a_missing_column_is_refused(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "description"])
    sheet.append(["T1", "Spatial planning"])
    output = io.BytesIO()
    workbook.save(output)
    data = output.getvalue()
    with pytest.raises(importer.RefusedImportError) as refused:
        importer.import_targets(io.BytesIO(data), len(data), world.kenya, actor=world.focal_point)
    assert "title" in refused.value.problems[0].message
    assert not NationalTarget.objects.exists()


def test_a_file_over_the_row_limit_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "MAX_ROWS", 1)
    data = GOOD.encode()
    with pytest.raises(importer.RefusedImportError) as refused:
        importer.import_targets(io.BytesIO(data), len(data), world.kenya, actor=world.focal_point)
    assert [problem.message for problem in refused.value.problems] == ["The file has more than 1 row."]
    assert not NationalTarget.objects.exists()
