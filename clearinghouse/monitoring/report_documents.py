"""A progress report's files: the printable HTML rendered to PDF with WeasyPrint (it shapes
Arabic, lays out right-to-left and draws the SVG charts) and a DOCX written with python-docx
(Arabic paragraphs and tables right-to-left; the charts' numbers as tables, since a word
processor's reader edits numbers, not pictures). Files are kept under
REPORTS_ROOT/<id>/<language>.<format>, each with its ReportFile row (size and SHA-256).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.monitoring.models import Report, ReportFile
from clearinghouse.monitoring.reports import (
    IndicatorRow,
    ReportData,
    report_data,
    report_language,
    ui_language,
)
from clearinghouse.publishing.documents import PdfUnavailableError

__all__ = ["PdfUnavailableError", "build", "docx", "file_name", "html", "pdf", "stored_path"]

# What follows w:bidi in a paragraph's properties, in the schema's order (CT_PPrBase).
BIDI_SUCCESSORS = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)

CONTENT_TYPES = {
    ReportFile.Format.PDF: "application/pdf",
    ReportFile.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def file_name(report: Report, language: str, format: str) -> str:
    """What a download is called: progress-report-2025-2026-ar.pdf."""
    years = (
        str(report.period_start)
        if report.period_start == report.period_end
        else f"{report.period_start}-{report.period_end}"
    )
    return f"progress-report-{years}-{language}.{format}"


# Rows written before REPORTS_ROOT existed hold "reports/<id>/<language>.<format>", relative to
# VAR_DIR, whose "reports" folder was REPORTS_ROOT's default. They are read as they are rather
# than rewritten by a migration: a host still on the earlier version during an upgrade reads
# them too. Today's rows hold "<id>/<language>.<format>", which never starts with this.
LEGACY_PREFIX = "reports"


def stored_path(stored: ReportFile) -> Path:
    """Where a built file is: its path under REPORTS_ROOT, whichever form its row holds."""
    relative = PurePosixPath(stored.path)
    if relative.parts[:1] == (LEGACY_PREFIX,):
        relative = relative.relative_to(LEGACY_PREFIX)
    return Path(settings.REPORTS_ROOT) / relative


def html(report: Report, language: str, *, request: HttpRequest | None = None) -> str:
    """The report as one printable HTML page in the language; with a request, the Secretariat's
    preview of it (its style marked with the page's nonce)."""
    data = report_data(report, language)
    with translation.override(ui_language(language)):
        context = {"data": data, "report": report, "preview": request is not None}
        return render_to_string("monitoring/report/document.html", context, request)


def pdf(report: Report, language: str) -> bytes:
    """The report as PDF; PdfUnavailableError when WeasyPrint or Pango is missing."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:
        raise PdfUnavailableError from error
    document: bytes = HTML(string=html(report, language)).write_pdf()
    return document


# DOCX ---------------------------------------------------------------------------------------


def docx(report: Report, language: str) -> bytes:
    """The report as a DOCX document: the same sections, narrative and numbers as the PDF."""
    data = report_data(report, language)
    with translation.override(ui_language(language)):
        writer = _Writer(Document(), rtl=data.direction == "rtl")
        writer.write(data)
        buffer = io.BytesIO()
        writer.document.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, document: DocumentType, *, rtl: bool) -> None:
        self.document = document
        self.rtl = rtl
        self._fonts()

    def _fonts(self) -> None:
        """Debian's Noto fonts for each script, as the PDF uses, so Arabic and Chinese render."""
        style = self.document.styles["Normal"]
        style.font.name = "Noto Sans"  # w:ascii and w:hAnsi
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:cs"), "Noto Naskh Arabic")
        fonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")

    def _direct(self, paragraph: Paragraph) -> Paragraph:
        """Right-to-left paragraphs for Arabic: w:bidi on the paragraph, w:rtl on each run."""
        if self.rtl:
            properties = paragraph._p.get_or_add_pPr()
            if properties.find(qn("w:bidi")) is None:
                # In the place the schema gives it (Word refuses elements out of order).
                properties.insert_element_before(properties.makeelement(qn("w:bidi"), {}), *BIDI_SUCCESSORS)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.rtl = True
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self._direct(self.document.add_heading(text, level))

    def paragraph(self, text: str, style: str | None = None) -> None:
        if text:
            for part in text.splitlines():
                if part.strip():
                    self._direct(self.document.add_paragraph(part.strip(), style))

    def table(self, header: list[str], rows: Iterable[list[str]]) -> None:
        rows = list(rows)
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL  # w:bidiVisual
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
                self._direct(paragraph)
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
                for paragraph in cell.paragraphs:
                    self._direct(paragraph)
        self.document.add_paragraph()

    def indicators(self, rows: list[IndicatorRow]) -> None:
        self.table(
            [_("Code"), _("Indicator"), _("Value"), _("Target"), _("Baseline")],
            (
                [
                    row.code,
                    row.name,
                    row.total.shown if row.total else row.method_label,
                    row.target.shown if row.target else "–",
                    _baseline(row),
                ]
                for row in rows
            ),
        )
        for row in rows:
            for breakdown in row.breakdowns:
                self.paragraph(
                    _("%(code)s by %(dimension)s") % {"code": row.code, "dimension": breakdown.label}
                )
                self.table(
                    [breakdown.label, _("Value")], ([cell.label, cell.shown] for cell in breakdown.cells)
                )

    def write(self, data: ReportData) -> None:
        self.heading(data.title, 0)
        self.paragraph(_("Reporting period: %(period)s") % {"period": data.period})
        if data.computed_at:
            self.paragraph(_("Numbers computed on %(date)s.") % {"date": data.computed_at.date().isoformat()})
        self.paragraph(
            _("Counts of fewer than %(count)s people are not shown.") % {"count": data.minimum_cell}
        )
        summary = data.narrative["summary"]
        self.heading(summary.title, 1)
        self.paragraph(summary.text)
        self.heading(_("Headline indicators"), 2)
        self.table(
            [_("Area"), _("Indicator"), _("Value")],
            (
                [row.area_label, f"{row.code} {row.name}", row.total.shown if row.total else "–"]
                for row in data.headline
            ),
        )
        self.heading(_("Activities by status"), 2)
        self.table(
            [_("Status"), _("Activities")],
            ([count.label, str(count.count)] for count in data.activities_by_status),
        )
        self.heading(_("Indicators by method"), 2)
        self.table(
            [_("Method"), _("Indicators")],
            ([count.label, str(count.count)] for count in data.indicators_by_method),
        )
        for area in data.areas:
            self.heading(area.title, 1)
            self.paragraph(area.narrative)
            if area.indicators:
                self.indicators(area.indicators)
        plan = data.narrative["plan"]
        self.heading(plan.title, 1)
        self.paragraph(plan.text)
        for activity in data.activities:
            self.heading(
                _("Activity %(number)s: %(status)s")
                % {"number": activity.number, "status": activity.status_label},
                2,
            )
            self.paragraph(activity.text)
            for note in activity.notes:
                self.paragraph(note)
            for link in activity.evidence:
                self.paragraph(f"{link.title}: {link.url}")
            if activity.indicators:
                self.indicators(activity.indicators)
        for code in ("gaps", "conclusions"):
            self.heading(data.narrative[code].title, 1)
            self.paragraph(data.narrative[code].text)
            if code == "gaps":
                for gap_table in data.gaps:
                    self.heading(gap_table.caption, 2)
                    self.table(gap_table.header, gap_table.rows)
        self.heading(_("Annex I. Indicators: definitions and methods"), 1)
        self.table(
            [_("Code"), _("Indicator"), _("Unit"), _("Method"), _("Definition")],
            (
                [row.code, row.name, row.unit_label, row.method_label, row.definition]
                for row in data.definitions
            ),
        )
        self.heading(_("Annex II. Indicators not yet possible"), 1)
        self.table(
            [_("Code"), _("Indicator"), _("Why")],
            ([row.code, row.name, row.reason] for row in data.not_yet_possible),
        )


def _baseline(row: IndicatorRow) -> str:
    if row.baseline is None:
        return "–"
    return _("%(value)s (%(year)s)") % {"value": row.baseline.shown, "year": row.baseline_year}


# Storage ------------------------------------------------------------------------------------


def _write(report: Report, language: str, format: str, content: bytes) -> ReportFile:
    """Write the file whole (a reader never sees half of it) and record it."""
    relative = PurePosixPath(str(report.pk)) / f"{language}.{format}"
    target = Path(settings.REPORTS_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{language}.{format}.")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, target)
    stored, _created = ReportFile.objects.update_or_create(
        report=report,
        language=language,
        format=format,
        defaults={
            "path": str(relative),
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return stored


def build(report: Report, languages: Iterable[str] = CONTENT_LANGUAGES) -> list[ReportFile]:
    """Build the report's PDF and DOCX in each language and keep them; a PDF is skipped when
    WeasyPrint cannot run here (the pages then say it is unavailable). Building again gives
    the same numbers: everything comes from the report's computation."""
    built = []
    for language in [report_language(code) for code in languages]:
        try:
            built.append(_write(report, language, ReportFile.Format.PDF, pdf(report, language)))
        except PdfUnavailableError:
            with transaction.atomic():
                ReportFile.objects.filter(
                    report=report, language=language, format=ReportFile.Format.PDF
                ).delete()
        built.append(_write(report, language, ReportFile.Format.DOCX, docx(report, language)))
    return built
