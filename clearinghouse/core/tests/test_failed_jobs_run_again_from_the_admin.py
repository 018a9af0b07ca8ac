"""A person runs a failed job again from the admin's list of background jobs ("Run again")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearinghouse.core import jobs
from clearinghouse.core.models import Job, JobStatus
from clearinghouse.core.testing import World
from clearinghouse.core.tests.queues import Queue, WorkerKilled

CHANGELIST = "admin:core_job_changelist"


@pytest.fixture
def failed_email(queue: Queue, monkeypatch: pytest.MonkeyPatch) -> Job:
    """An e-mail whose worker was killed while sending it: failed, not sent again by itself."""
    monkeypatch.setattr("clearinghouse.core.admin.HUEY", queue.huey)
    queue.tasks["send_message"]("amina@example.org")
    queue.kill_during_next_job = True
    with pytest.raises(WorkerKilled):
        queue.work()
    later = timezone.now() + timedelta(seconds=settings.JOB_WORKER_STALE_SECONDS + 1)
    jobs.recover(queue.huey, now=later)
    return Job.objects.get(status=JobStatus.FAILED)


def _signed_in_secretariat(world: World, client: Client) -> None:
    """The Secretariat, with the admin access the demo gives it (and its second factor)."""
    world.secretariat.is_staff = world.secretariat.is_superuser = True
    world.secretariat.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(world.secretariat)


def test_the_secretariat_runs_a_failed_job_again(
    world: World, client: Client, queue: Queue, failed_email: Job
) -> None:
    _signed_in_secretariat(world, client)
    listing = client.get(reverse(CHANGELIST), {"status__exact": "failed"})
    assert listing.status_code == 200
    assert failed_email.name in listing.content.decode()

    response = client.post(
        reverse(CHANGELIST), {"action": "run_again", "_selected_action": [failed_email.pk]}
    )
    assert response.status_code == 302
    failed_email.refresh_from_db()
    assert (failed_email.status, failed_email.attempts) == (JobStatus.WAITING, 0)

    queue.work()
    assert queue.ran == ["amina@example.org"]
    assert not Job.objects.exists()


def test_run_again_leaves_jobs_that_did_not_fail(
    world: World, client: Client, queue: Queue, failed_email: Job
) -> None:
    _signed_in_secretariat(world, client)
    queue.tasks["index_record"]("needs:1")
    waiting = Job.objects.get(status=JobStatus.WAITING)

    client.post(
        reverse(CHANGELIST), {"action": "run_again", "_selected_action": [waiting.pk, failed_email.pk]}
    )
    # The waiting job is in the queue already: queueing it again would run it twice.
    assert queue.huey.pending_count() == 2
    assert Job.objects.filter(status=JobStatus.WAITING).count() == 2


def test_a_person_without_staff_access_cannot_run_jobs_again(
    world: World, client: Client, queue: Queue, failed_email: Job
) -> None:
    client.force_login(world.outsider)
    client.post(reverse(CHANGELIST), {"action": "run_again", "_selected_action": [failed_email.pk]})
    failed_email.refresh_from_db()
    assert failed_email.status == JobStatus.FAILED
    assert queue.huey.pending_count() == 0
