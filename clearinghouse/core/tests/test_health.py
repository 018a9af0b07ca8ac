from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from clearinghouse.core import jobs
from clearinghouse.core.models import Job
from clearinghouse.core.tests.queues import Queue


@pytest.mark.django_db
def test_health_endpoint_reports_database_and_queue(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    # The tests run jobs inline, as `JOBS_IMMEDIATE=1` does: no worker is needed, none is counted.
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "workers": "inline",
        "jobs": "inline",
        "waiting_jobs": None,
        "oldest_waiting_job_seconds": None,
        "failed_jobs": None,
        "live_workers": None,
        "last_heartbeat_seconds": None,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_endpoint_is_unavailable_when_the_queue_is_down(client: Client) -> None:
    with mock.patch("clearinghouse.core.health.HUEY.pending_count", side_effect=ConnectionError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_health_endpoint_is_unavailable_when_the_database_is_down(client: Client) -> None:
    with mock.patch("clearinghouse.core.health.connection.cursor", side_effect=OSError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.fixture
def queued(queue: Queue, monkeypatch: pytest.MonkeyPatch) -> Queue:
    """Jobs wait in a real queue for workers, as in production."""
    monkeypatch.setattr("clearinghouse.core.health.HUEY", queue.huey)
    return queue


@pytest.mark.django_db
def test_health_is_ok_when_a_live_worker_is_there_for_the_waiting_jobs(client: Client, queued: Queue) -> None:
    queued.tasks["index_record"]("needs:1")
    jobs.beat(jobs.current_worker())

    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["workers"], body["jobs"]) == ("ok", "ok", "ok")
    assert (body["waiting_jobs"], body["live_workers"], body["failed_jobs"]) == (1, 1, 0)
    assert body["oldest_waiting_job_seconds"] < settings.JOB_WAITING_ALERT_SECONDS


@pytest.mark.django_db
def test_health_is_unavailable_when_jobs_wait_and_no_worker_is_alive(client: Client, queued: Queue) -> None:
    queued.tasks["index_record"]("needs:1")
    # The only worker was last seen longer ago than JOB_WORKER_STALE_SECONDS: killed.
    long_ago = timezone.now() - timedelta(seconds=settings.JOB_WORKER_STALE_SECONDS + 1)
    jobs.beat(jobs.current_worker(), now=long_ago)

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["workers"], body["live_workers"]) == ("unavailable", "unavailable", 0)
    assert body["last_heartbeat_seconds"] > settings.JOB_WORKER_STALE_SECONDS


@pytest.mark.django_db
def test_health_stays_ok_without_workers_while_no_job_waits(client: Client, queued: Queue) -> None:
    # Nothing is held up yet (a web server started before its workers): said, not failed.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["workers"] == "unavailable"


@pytest.mark.django_db
def test_health_is_unavailable_when_a_job_has_waited_too_long(client: Client, queued: Queue) -> None:
    queued.tasks["index_record"]("needs:1")
    jobs.beat(jobs.current_worker())
    Job.objects.update(due_at=timezone.now() - timedelta(seconds=settings.JOB_WAITING_ALERT_SECONDS + 60))

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["workers"], body["jobs"]) == ("ok", "late")
    assert body["oldest_waiting_job_seconds"] > settings.JOB_WAITING_ALERT_SECONDS
