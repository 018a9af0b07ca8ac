"""Knowledge products come in from the shared workbook as drafts of the importing person's Party,
through the workflow, linked to published events by identifier; a bad kind is refused and
nothing is saved."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from clearinghouse.core.testing import World
from clearinghouse.events.tests.attendance_factories import make_event
from clearinghouse.exchange import layout
from clearinghouse.exchange.models import JobState
from clearinghouse.exchange.services import start_import
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.publishing import exchange, registry
from clearinghouse.publishing.models import State

pytestmark = pytest.mark.usefixtures("vocabularies")


def _imported(world: World, rows: list[dict[str, Any]]) -> Any:
    knowledge = registry.of(Knowledge)
    workbook = load_workbook(io.BytesIO(exchange.template(knowledge, "es")))
    sheet_title, _cell = next(iter(workbook.defined_names[exchange.SHEET].destinations))
    sheet = workbook[sheet_title]
    codes = [cell.value for cell in sheet[layout.CODE_ROW]]
    assert "cooperation" not in codes
    for number, row in enumerate(rows, start=layout.FIRST_ROW):
        for code, value in row.items():
            sheet.cell(number, codes.index(code) + 1, value)
    output = io.BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("knowledge.xlsx", output.getvalue())
    job = start_import(world.authorised_user, world.kenya, exchange.kind_name(knowledge), upload, "es")
    job.refresh_from_db()
    return job


def test_a_filled_workbook_imports_drafts_linked_to_events(world: World) -> None:
    event = make_event(world, past=True)
    job = _imported(
        world,
        [
            {
                "original_language": "es",
                "kind": "lesson_learnt",
                "title.es": "Traducir las fichas antes del taller",
                "results.es": "Las fichas se usaron en tres reservas.",
                "events": event.identifier,
                "subjects": "SUBJ-MARINE-COASTAL",
            }
        ],
    )
    assert job.state == JobState.DONE, job.problems
    product = Knowledge.objects.get()
    assert (product.state, product.owner, product.kind) == (State.DRAFT, world.kenya, "lesson_learnt")
    assert product.title == {"es": "Traducir las fichas antes del taller"}
    assert list(product.events.all()) == [event]


def test_a_row_with_an_unknown_kind_is_refused_and_nothing_saved(world: World) -> None:
    job = _imported(
        world,
        [
            {"original_language": "es", "kind": "lesson_learnt", "title.es": "Una buena fila"},
            {"original_language": "es", "kind": "poema", "title.es": "Una fila fallida"},
        ],
    )
    assert job.state == JobState.FAILED and job.problems
    assert not Knowledge.objects.exists()


def test_the_import_page_hands_the_file_to_the_worker_and_opens_the_job(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    assert client.get("/en/knowledge/import/").status_code == 200
    workbook = client.get("/en/knowledge/export/?format=xlsx&template=1").content
    response = client.post(
        "/en/knowledge/import/",
        {"owner": f"country:{world.kenya.pk}", "file": SimpleUploadedFile("empty.xlsx", workbook)},
    )
    assert response.status_code == 302 and "/imports/" in response["Location"]
    client.force_login(world.learner)
    assert client.get("/en/knowledge/import/").status_code == 403
