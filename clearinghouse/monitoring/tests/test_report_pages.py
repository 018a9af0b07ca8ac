"""The progress reports' pages: only the Secretariat creates, narrates, builds and publishes;
everyone reads the published reports and downloads their files, named for the period and
language; a published report's narrative goes into a new draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clearinghouse.monitoring import report_documents, reports
from clearinghouse.monitoring.models import Report, ReportFile
from clearinghouse.monitoring.tests.reporting import plan_with_indicators, reported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _folders(settings: Any, tmp_path: Path) -> None:
    # Apart, as on several hosts: the built files must not land in this host's own VAR_DIR.
    settings.VAR_DIR = tmp_path / "var"
    settings.REPORTS_ROOT = tmp_path / "shared" / "reports"


def test_the_secretariat_creates_narrates_builds_and_publishes(world: Any, client: Client) -> None:
    plan_with_indicators(world)
    client.force_login(world.secretariat)
    assert client.get("/en/monitoring/reports/").status_code == 200
    response = client.post("/en/monitoring/reports/", {"first_year": 2025, "last_year": 2026})
    report = Report.objects.get()
    assert response["Location"] == f"/en/monitoring/reports/{report.pk}/"
    assert report.computation is not None and report.created_by == world.secretariat
    # No file is built yet: neither format says more than that.
    files = client.get(f"/en/monitoring/reports/{report.pk}/").content.decode()
    assert files.count("Not built yet") == 12 and "PDF unavailable" not in files
    page = client.get(f"/en/monitoring/reports/{report.pk}/narrative/ar/")
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()
    client.post(
        f"/en/monitoring/reports/{report.pk}/narrative/ar/", {"summary": "ملخص", "conclusions": "خاتمة"}
    )
    assert reports.report_data(report, "ar").narrative["conclusions"].text == "خاتمة"
    preview = client.get(f"/en/monitoring/reports/{report.pk}/preview/ar/").content.decode()
    assert 'lang="ar" dir="rtl"' in preview and "خاتمة" in preview
    client.post(f"/en/monitoring/reports/{report.pk}/build/", {"languages": ["en", "ar"]})
    assert set(report.files.filter(format="docx").values_list("language", flat=True)) == {"en", "ar"}
    download = client.get(f"/en/monitoring/reports/{report.pk}/ar.docx")
    assert download["Content-Type"] == report_documents.CONTENT_TYPES[ReportFile.Format.DOCX]
    assert 'filename="progress-report-2025-2026-ar.docx"' in download["Content-Disposition"]
    client.post(f"/en/monitoring/reports/{report.pk}/publish/")
    report.refresh_from_db()
    assert (report.state, report.published_by) == (Report.State.PUBLISHED, world.secretariat)


def test_a_bad_period_is_refused_in_the_readers_language(world: Any, client: Client) -> None:
    client.force_login(world.secretariat)
    response = client.post("/fr/monitoring/reports/", {"first_year": 2026, "last_year": 2025})
    assert response.status_code == 200
    assert "La période se termine avant de commencer." in response.content.decode()
    assert not Report.objects.exists()


def test_narrative_sent_to_a_published_report_goes_into_a_new_draft(world: Any, client: Client) -> None:
    report = reports.publish(reported(world), by=world.secretariat)
    client.force_login(world.secretariat)
    response = client.post(f"/en/monitoring/reports/{report.pk}/narrative/en/", {"summary": "Changed."})
    draft = Report.objects.exclude(pk=report.pk).get()
    assert response["Location"] == f"/en/monitoring/reports/{draft.pk}/"
    assert reports.report_data(report, "en").narrative["summary"].text == ""
    assert reports.report_data(draft, "en").narrative["summary"].text == "Changed."
    client.post(f"/en/monitoring/reports/{report.pk}/refresh/")
    report.refresh_from_db()
    assert report.state == Report.State.PUBLISHED


@pytest.mark.parametrize("person", ["outsider", "focal_point", "helpdesk_agent"])
def test_only_the_secretariat_works_on_reports(world: Any, client: Client, person: str) -> None:
    report = reported(world)
    client.force_login(getattr(world, person))
    for url in [
        "/en/monitoring/reports/",
        f"/en/monitoring/reports/{report.pk}/",
        f"/en/monitoring/reports/{report.pk}/narrative/en/",
        f"/en/monitoring/reports/{report.pk}/preview/en/",
    ]:
        assert client.get(url).status_code == 403, url
    for url in ["publish", "build", "refresh", "new-draft", "narrative/en"]:
        assert client.post(f"/en/monitoring/reports/{report.pk}/{url}/", {"summary": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT and not report.sections.exists() and not report.files.exists()
    client.logout()
    assert client.get("/en/monitoring/reports/").status_code == 302


def test_everyone_reads_published_reports_and_downloads_their_files(world: Any, client: Client) -> None:
    report = reported(world)
    report_documents.build(report, ["en", "ar"])
    draft_only = reports.create(2027, 2028)
    # A draft is not public.
    assert client.get(f"/en/monitoring/reports/published/{report.pk}/").status_code == 404
    assert client.head(f"/en/monitoring/reports/published/{report.pk}/ar.docx").status_code == 404
    reports.write_narrative(report, "en", {"summary": "Two years of progress."})
    reports.publish(report, by=world.secretariat)
    listing = client.get("/en/monitoring/reports/published/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert f"/en/monitoring/reports/published/{report.pk}/ar.docx" in body
    assert f"/monitoring/reports/published/{draft_only.pk}/" not in body
    page = client.get(f"/en/monitoring/reports/published/{report.pk}/").content.decode()
    assert "Two years of progress." in page and "Notes published" in page
    for method in (client.get, client.head):
        response = method(f"/en/monitoring/reports/published/{report.pk}/ar.docx")
        assert response.status_code == 200
        assert response["Content-Type"] == report_documents.CONTENT_TYPES[ReportFile.Format.DOCX]
        assert 'filename="progress-report-2025-2026-ar.docx"' in response["Content-Disposition"]
    stored = report.files.get(language="ar", format="docx")
    assert b"".join(
        client.get(f"/en/monitoring/reports/published/{report.pk}/ar.docx").streaming_content
    ) == (report_documents.stored_path(stored).read_bytes())
    for url in ["/en/monitoring/reports/published/", f"/ar/monitoring/reports/published/{report.pk}/"]:
        assert client.head(url).status_code == 200
    # Not built, or no such language: not found.
    assert client.get(f"/en/monitoring/reports/published/{report.pk}/fr.docx").status_code == 404
    assert client.get(f"/en/monitoring/reports/published/{report.pk}/de.pdf").status_code == 404


def test_the_note_on_missing_pdfs_shows_only_when_a_language_has_no_pdf(world: Any, client: Client) -> None:
    report = reports.publish(reported(world), by=world.secretariat)
    note = "Where a PDF is unavailable"
    report_documents._write(report, "en", ReportFile.Format.DOCX, b"docx")
    report_documents._write(report, "en", ReportFile.Format.PDF, b"%PDF-1.7")
    assert note not in client.get(f"/en/monitoring/reports/published/{report.pk}/").content.decode()
    report_documents._write(report, "ar", ReportFile.Format.DOCX, b"docx")
    assert note in client.get(f"/en/monitoring/reports/published/{report.pk}/").content.decode()
