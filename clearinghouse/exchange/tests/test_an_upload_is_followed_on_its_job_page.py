"""An upload becomes a job: the page shows it waiting, then its progress, then its result, and
asks again by itself until the job is over (htmx, or a plain refresh without JavaScript)."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.exchange import services, tasks
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.exchange.tests.conftest import workbook_upload
from clearinghouse.needs.models import Need


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs are queued but not run: the worker has not come to them yet."""
    waiting: list[int] = []
    monkeypatch.setattr(services, "_enqueue", lambda job: waiting.append(job.pk))
    return waiting


def _upload(client: Client, world: World, content: bytes) -> ImportJob:
    response = client.post(
        "/en/needs/offline/upload/", {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(content)}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/en/imports/{job.pk}/"
    return job


def test_a_queued_job_says_it_waits_and_asks_again(
    world: World, client: Client, needs_workbook: bytes, queued: list[int]
) -> None:
    client.force_login(world.authorised_user)
    job = _upload(client, world, needs_workbook)
    assert queued == [job.pk]
    assert (job.state, job.uploader, job.owner, job.language) == (
        JobState.QUEUED,
        world.authorised_user,
        world.kenya,
        "en",
    )
    assert job.upload.storage.exists(job.upload.name), "the upload waits for the worker"
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert "The import waits for the worker" in page
    assert f'hx-get="/en/imports/{job.pk}/" hx-trigger="every 2s"' in page
    # Without JavaScript the page reloads itself, and a link does the same.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'<a href="/en/imports/{job.pk}/">Refresh</a>' in page
    # htmx asks for the status alone.
    fragment = client.get(f"/en/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="job-status"') and "<html" not in fragment
    assert not Need.objects.exists()


def test_a_running_job_shows_the_rows_checked_then_the_save(
    world: World, client: Client, needs_workbook: bytes, queued: list[int]
) -> None:
    client.force_login(world.authorised_user)
    job = _upload(client, world, needs_workbook)
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, rows_done=200, rows_total=500)
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert "200 of 500 rows checked." in page
    assert '<progress id="job-progress" value="200" max="500">40 %</progress>' in page
    ImportJob.objects.filter(pk=job.pk).update(rows_done=500)
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert "the drafts are being saved" in page
    assert "hx-trigger" in page


def test_the_worker_runs_the_job_and_the_page_shows_the_drafts(
    world: World, client: Client, needs_workbook: bytes, queued: list[int]
) -> None:
    client.force_login(world.authorised_user)
    job = _upload(client, world, needs_workbook)
    stored = job.upload.name
    tasks.run_import(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.started_at is not None and job.finished_at is not None
    assert job.rows_done == job.rows_total == 3
    needs = list(Need.objects.order_by("identifier"))
    assert [item["identifier"] for item in job.created] == [need.identifier for need in needs]
    assert not job.upload and not job.upload.storage.exists(stored), "the upload is deleted once done"
    page = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert "3 drafts created." in page
    assert f'href="/en/records/{needs[0].identifier}/"' in page
    # Over: the page stops asking.
    assert "hx-trigger" not in page and "http-equiv" not in page


def test_a_job_run_twice_does_no_harm(
    world: World, client: Client, needs_workbook: bytes, queued: list[int]
) -> None:
    client.force_login(world.authorised_user)
    job = _upload(client, world, needs_workbook)
    tasks.run_import(job.pk)
    tasks.run_import(job.pk)
    assert Need.objects.count() == 3
    job.refresh_from_db()
    assert job.state == JobState.DONE and len(job.created) == 3
