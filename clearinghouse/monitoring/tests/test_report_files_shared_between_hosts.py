"""A progress report's files are kept under REPORTS_ROOT, storage every host shares: a file built
by one host's worker is served by another host, and files recorded before REPORTS_ROOT existed
("reports/<id>/…", relative to VAR_DIR) are still found."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clearinghouse.monitoring import report_documents, reports
from clearinghouse.monitoring.models import ReportFile
from clearinghouse.monitoring.tests.reporting import reported, without_pdf

pytestmark = pytest.mark.django_db


def _download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_a_report_built_on_one_host_is_served_by_another_from_the_shared_folder(
    world: Any, client: Client, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    without_pdf(monkeypatch)
    shared = tmp_path / "shared" / "reports"
    settings.REPORTS_ROOT = shared
    settings.VAR_DIR = tmp_path / "worker-host" / "var"
    report = reports.publish(reported(world), by=world.secretariat)

    (stored,) = report_documents.build(report, ["en"])

    written = shared / str(report.pk) / "en.docx"
    assert stored.path == f"{report.pk}/en.docx"
    assert hashlib.sha256(written.read_bytes()).hexdigest() == stored.sha256
    # Nothing went into the building host's own folder, which the other host cannot read.
    assert not (tmp_path / "worker-host").exists()

    # The web host has a VAR_DIR of its own and the same REPORTS_ROOT.
    settings.VAR_DIR = tmp_path / "web-host" / "var"
    served = _download(client, f"/en/monitoring/reports/published/{report.pk}/en.docx")
    assert served == written.read_bytes()


def test_a_file_recorded_before_reports_root_existed_is_still_served_and_rebuilt_in_todays_form(
    world: Any, client: Client, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    without_pdf(monkeypatch)
    # An upgraded host that sets nothing: REPORTS_ROOT is VAR_DIR/reports, where the file was.
    settings.VAR_DIR = tmp_path / "var"
    settings.REPORTS_ROOT = tmp_path / "var" / "reports"
    report = reports.publish(reported(world), by=world.secretariat)
    kept = tmp_path / "var" / "reports" / str(report.pk) / "en.docx"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"a DOCX built by the earlier version")
    # The row as the earlier version wrote it: relative to VAR_DIR.
    old = ReportFile.objects.create(
        report=report, language="en", format=ReportFile.Format.DOCX, path=f"reports/{report.pk}/en.docx"
    )

    assert report_documents.stored_path(old) == kept
    served = _download(client, f"/en/monitoring/reports/published/{report.pk}/en.docx")
    assert served == b"a DOCX built by the earlier version"

    # Moved to shared storage with its folder's contents, as docs/operations.md says: still found.
    settings.REPORTS_ROOT = tmp_path / "shared" / "reports"
    settings.REPORTS_ROOT.parent.mkdir()
    kept.parent.parent.rename(settings.REPORTS_ROOT)
    assert report_documents.stored_path(old) == settings.REPORTS_ROOT / str(report.pk) / "en.docx"
    assert _download(client, f"/en/monitoring/reports/published/{report.pk}/en.docx") == served

    # Built again, the row takes today's form, relative to REPORTS_ROOT.
    report_documents.build(report, ["en"])
    old.refresh_from_db()
    assert old.path == f"{report.pk}/en.docx"
    assert report_documents.stored_path(old).read_bytes() != served
