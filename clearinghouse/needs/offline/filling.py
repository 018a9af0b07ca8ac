"""Filling the template as a person would, with openpyxl: the demo's imports, the tests and the
benchmark use it (and the sample records below)."""

from __future__ import annotations

import io
import random
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from clearinghouse.exchange import layout
from clearinghouse.needs.offline.template import ASSESSMENT_SHEET, NEEDS_SHEET

# One need in French, written the ways people write them: codes with their labels as the
# drop-down puts them, bare codes, several codes after a semicolon, numbers as numbers.
FRENCH_NEED: dict[str, Any] = {
    "title": "Formation à la taxonomie des plantes",
    "description": "Les agents des aires protégées ne savent pas identifier les espèces envahissantes.",
    "gap": "Les inventaires restent incomplets et les invasions sont détectées trop tard.",
    "priority": "high — Haute",
    "subjects": "SUBJ-PROTECTED-AREAS — Aires protégées; SUBJ-RESTORATION",
    "gbf_targets": "GBF-T6",
    "instruments": "CBD",
    "capacity_levels": "individual;organisational",
    "support_types": "training",
    "start_year": 2027,
    "end_year": 2028,
    "estimated_cost": 25000,
    "currency": "EUR",
    "support_languages": "fr;en",
    "contact_name": "Awa Diallo",
    "contact_email": "awa.diallo@example.org",
}

FRENCH_ASSESSMENT: dict[str, Any] = {
    "title": "Évaluation nationale des besoins en capacités 2026",
    "scope": "national",
    "period_start": 2026,
    "period_end": 2030,
    "method": "Ateliers régionaux et enquête auprès des institutions.",
    "participants_total": 120,
}

_TOPICS = ["plantes", "poissons", "oiseaux", "insectes", "mangroves", "forêts", "zones humides", "récifs"]
_SKILLS = ["l'inventaire", "la restauration", "le suivi", "la cartographie", "la gestion", "la taxonomie"]


def generated_needs(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``count`` different French needs, the same for the same seed."""
    generator = random.Random(seed)  # noqa: S311  # nosec B311  # test data, not secrets
    needs = []
    for number in range(count):
        topic, skill = generator.choice(_TOPICS), generator.choice(_SKILLS)
        needs.append(
            FRENCH_NEED
            | {
                "title": f"Renforcer {skill} des {topic} ({number + 1})",
                "description": f"Les équipes nationales manquent de compétences pour {skill} des {topic}.",
                "priority": generator.choice(["high", "medium", "low"]),
                "gbf_targets": f"GBF-T{generator.randint(1, 23)}",
                "estimated_cost": generator.randint(1, 500) * 1000,
            }
        )
    return needs


def _sheet(workbook: Workbook, name: str) -> Worksheet:
    defined = workbook.defined_names[name]
    sheet_title, _cell = next(iter(defined.destinations))
    return workbook[sheet_title]


def fill_workbook(
    template: bytes, needs: Sequence[Mapping[str, Any]], assessment: Mapping[str, Any] | None = None
) -> bytes:
    """The template with these needs (field code → cell value) from its first row on, and the
    assessment's answers in column C."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = _sheet(workbook, NEEDS_SHEET)
    columns = {cell.value: int(cell.column or 0) for cell in sheet[layout.CODE_ROW] if cell.value}
    for row, need in enumerate(needs, start=layout.FIRST_ROW):
        for code, value in need.items():
            sheet.cell(row, columns[code], value)
    if assessment:
        sheet = _sheet(workbook, ASSESSMENT_SHEET)
        rows = {
            row[layout.FORM_CODE_COLUMN - 1].value: row[0].row
            for row in sheet.iter_rows(min_row=2)
            if row[layout.FORM_CODE_COLUMN - 1].value
        }
        for code, value in assessment.items():
            sheet.cell(int(rows[code] or 0), layout.FORM_VALUE_COLUMN, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
