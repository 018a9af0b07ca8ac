"""A progress report's files: the numbers in the PDF and the DOCX are the stored values the
API serves, Arabic reads right-to-left, the narrative is there, and the files are kept with
their size and checksum; the command builds them."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn

from clearinghouse.monitoring import report_documents, reports
from clearinghouse.monitoring.models import Report, ReportFile, Value
from clearinghouse.monitoring.tests.reporting import plan_with_indicators, reported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _folders(settings: Any, tmp_path: Path) -> None:
    # Apart, as on several hosts: the built files must not land in this host's own VAR_DIR.
    settings.VAR_DIR = tmp_path / "var"
    settings.REPORTS_ROOT = tmp_path / "shared" / "reports"


def _docx_text(content: bytes) -> tuple[Any, list[list[str]]]:
    document = Document(io.BytesIO(content))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return document, rows


def _totals(report: Report) -> dict[str, float | None]:
    return {
        value.indicator.code: value.value
        for value in Value.objects.filter(computation=report.computation, dimension="").select_related(
            "indicator"
        )
    }


def test_the_docx_tables_carry_the_stored_values_and_the_narrative(world: Any) -> None:
    report = reported(world)
    reports.write_narrative(report, "en", {"summary": "The clearing-house grew steadily."})
    document, rows = _docx_text(report_documents.docx(report, "en"))
    totals = _totals(report)
    assert totals == {"1.1": 9, "5.1": 2}
    for code, value in totals.items():
        assert [code, next(r[1] for r in rows if r[0] == code), f"{value:.0f}"] in [r[:3] for r in rows]
    assert ["1.1", "Notes published", "9", "12", "1 (2024)"] in rows
    assert ["Kenya", "7"] in rows and ["Tanzania", "2"] in rows
    assert ["5.3", "Members of communities of practice", "Communities of practice do not exist yet."] in rows
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "The clearing-house grew steadily." in texts
    assert "Set up the clearing-house mechanism" in texts


def test_arabic_docx_paragraphs_and_tables_read_right_to_left(world: Any) -> None:
    report = reported(world)
    reports.write_narrative(report, "ar", {"summary": "نمت آلية تبادل المعلومات بثبات."})
    document, rows = _docx_text(report_documents.docx(report, "ar"))
    narrative = next(p for p in document.paragraphs if p.text == "نمت آلية تبادل المعلومات بثبات.")
    assert narrative._p.pPr.find(qn("w:bidi")) is not None
    assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in narrative.runs)
    assert narrative.alignment == 2  # right
    # In the schema's order (w:bidi before w:jc), or Word calls the file damaged.
    tags = [child.tag for child in narrative._p.pPr]
    assert tags.index(qn("w:bidi")) < tags.index(qn("w:jc"))
    assert all(
        p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
        for p in document.paragraphs
        if p.text
    )
    assert all(table._tbl.tblPr.find(qn("w:bidiVisual")) is not None for table in document.tables)
    assert ["1.1", "الملاحظات المنشورة", "9", "12", "1 (2024)"] in rows
    # English paragraphs are left as they are.
    english, _rows = _docx_text(report_documents.docx(report, "en"))
    assert all(p._p.pPr is None or p._p.pPr.find(qn("w:bidi")) is None for p in english.paragraphs)


def test_the_pdf_text_carries_the_stored_values(world: Any) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    from pypdf import PdfReader

    report = reported(world)
    reports.write_narrative(report, "en", {"conclusions": "More Parties took part."})
    try:
        content = report_documents.pdf(report, "en")
    except report_documents.PdfUnavailableError:
        pytest.skip("WeasyPrint's libraries are missing")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert re.search(r"1\.1 Notes published 9 12 1 \(2024\)", text)
    assert re.search(r"5\.1 Notes serving partnerships 2 ", text)
    assert "Kenya 7" in text and "Tanzania 2" in text
    assert "More Parties took part." in text


def test_building_keeps_each_file_with_its_size_and_checksum(world: Any, settings: Any) -> None:
    report = reported(world)
    built = report_documents.build(report, ["en", "ar"])
    docx_files = [stored for stored in built if stored.format == ReportFile.Format.DOCX]
    assert {stored.language for stored in docx_files} == {"en", "ar"}
    for stored in built:
        path = Path(settings.REPORTS_ROOT) / str(report.pk) / f"{stored.language}.{stored.format}"
        content = path.read_bytes()
        assert (stored.path, stored.size, stored.sha256) == (
            f"{report.pk}/{stored.language}.{stored.format}",
            len(content),
            hashlib.sha256(content).hexdigest(),
        )
    assert not Path(settings.VAR_DIR).exists()
    # Building again replaces the files, one row per language and format.
    count = ReportFile.objects.count()
    report_documents.build(report, ["en"])
    assert ReportFile.objects.count() == count


def test_the_command_creates_computes_builds_and_publishes(world: Any, settings: Any) -> None:
    plan_with_indicators(world)
    out = io.StringIO()
    call_command("buildreport", "2025-2026", "--languages", "en,zh-hans", "--publish", stdout=out)
    report = Report.objects.get()
    assert report.state == Report.State.PUBLISHED
    assert report.computation is not None and _totals(report) == {"1.1": 9, "5.1": 2}
    assert {(f.language, f.format) for f in report.files.all()} >= {("en", "docx"), ("zh", "docx")}
    assert f"{report.pk}/zh.docx (" in out.getvalue()
    # Run again: the same report, its files rebuilt, nothing new created.
    call_command("buildreport", "2025-2026", "--languages", "ar", stdout=io.StringIO())
    assert Report.objects.count() == 1
    assert report.files.filter(language="ar", format="docx").exists()


@pytest.mark.parametrize("arguments", [["2025-2027"], ["2025-2026", "--languages", "de"]])
def test_the_command_refuses_a_bad_period_or_language(world: Any, arguments: list[str]) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("buildreport", *arguments, stdout=io.StringIO())
    assert not Report.objects.exists()
