"""Uploads are not kept: past the retention period the hourly clean-up deletes those still
waiting for a confirmation, and fails jobs a stopped worker left behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.exchange import services, tasks
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.exchange.tests.conftest import workbook_upload


def test_the_clean_up_deletes_old_uploads_and_fails_abandoned_jobs(
    world: World, client: Client, needs_workbook: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_enqueue", lambda job: None)
    client.force_login(world.authorised_user)
    for _number in range(3):
        client.post(
            "/en/needs/offline/upload/",
            {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(needs_workbook)},
        )
    abandoned, waiting, recent = ImportJob.objects.order_by("pk")
    names = [job.upload.name for job in (abandoned, waiting, recent)]
    ImportJob.objects.filter(pk=abandoned.pk).update(state=JobState.RUNNING)
    ImportJob.objects.filter(pk=waiting.pk).update(state=JobState.CONFIRMATION)
    ImportJob.objects.filter(pk__in=[abandoned.pk, waiting.pk]).update(
        queued_at=timezone.now() - timedelta(hours=25)
    )
    assert tasks.clean_up_imports.call_local() == 2
    abandoned.refresh_from_db()
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert abandoned.state == JobState.FAILED and "did not finish in time" in abandoned.problems[0]["message"]
    assert waiting.state == JobState.CONFIRMATION and not waiting.upload
    storage = recent.upload.storage
    assert [storage.exists(name) for name in names] == [False, False, True]
    assert recent.state == JobState.QUEUED
