"""The demo's progress report: published for 2025-2026 with narrative in the six languages and
files in the six languages; without WeasyPrint, the DOCX only, and the page says the PDF is
unavailable. Loading it twice changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.monitoring import demo_report, reports
from clearinghouse.monitoring.models import Report
from clearinghouse.monitoring.tests.reporting import plan_with_indicators, without_pdf

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_report_in_six_languages(
    world: Any, settings: Any, tmp_path: Path, monkeypatch: Any, client: Client
) -> None:
    settings.VAR_DIR = tmp_path
    settings.REPORTS_ROOT = tmp_path / "reports"

    without_pdf(monkeypatch)
    plan_with_indicators(world)
    lines = demo_report.load()
    report = Report.objects.get()
    assert report.state == Report.State.PUBLISHED and (report.period_start, report.period_end) == (2025, 2026)
    assert lines == [f"Progress report 2025-2026: /monitoring/reports/published/{report.pk}/"]
    for language in CONTENT_LANGUAGES:
        assert (
            reports.report_data(report, language).narrative["summary"].text
            == (demo_report.NARRATIVE["summary"][language])
        )
    assert sorted(report.files.values_list("language", "format")) == sorted(
        (language, "docx") for language in CONTENT_LANGUAGES
    )
    page = client.get(f"/fr/monitoring/reports/published/{report.pk}/").content.decode()
    assert "PDF indisponible" in page and f"/fr/monitoring/reports/published/{report.pk}/fr.docx" in page
    demo_report.load()
    assert Report.objects.count() == 1 and report.files.count() == len(CONTENT_LANGUAGES)
