"""The staff who may open the admin find the job ledger from "My work" and the header: how many
background jobs failed and how many wait too long for a worker, each a link to the admin's list
of jobs, where they run failed ones again. Nobody else sees the line or the link."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clearinghouse.core.models import Job, JobStatus
from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db

LEDGER = "/en/admin/core/job/"


def _job(name: str, status: JobStatus, waited: timedelta = timedelta(0)) -> Job:
    due = timezone.now() - waited
    return Job.objects.create(
        task_id=uuid.uuid4().hex, name=name, message=b"", status=status, enqueued_at=due, due_at=due
    )


@pytest.fixture
def ledger() -> list[Job]:
    """Two failed jobs (returned), one waiting longer than /healthz allows, one just queued."""
    failed = [
        _job("clearinghouse.core.mail.send_message", JobStatus.FAILED),
        _job("clearinghouse.search.tasks.index_documents", JobStatus.FAILED),
    ]
    alert = timedelta(seconds=settings.JOB_WAITING_ALERT_SECONDS)
    _job("clearinghouse.matching.tasks.embed", JobStatus.WAITING, waited=alert + timedelta(minutes=1))
    _job("clearinghouse.matching.tasks.embed", JobStatus.WAITING)
    return failed


def _staff_of_the_secretariat(world: World) -> Any:
    """The Secretariat with admin access and leave to view jobs and run them again (not a
    superuser: these permissions are what let it see the ledger)."""
    person = world.secretariat
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_job", "change_job"], content_type__app_label="core")
    )
    return person


def _places(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="work-nav"[^>]*>(.*?)</nav>', html, re.S)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1)) if nav else []
    return {unescape(label): href for href, label in links}


def test_the_secretariats_staff_see_failed_and_overdue_jobs_and_reach_the_ledger(
    world: World, client: Client, ledger: list[Job]
) -> None:
    client.force_login(_staff_of_the_secretariat(world))

    page = client.get("/en/work/").content.decode()

    section = re.search(r'<section aria-labelledby="jobs-heading".*?</section>', page, re.S)
    assert section is not None
    line = unescape(section.group(0))
    assert f'<a href="{LEDGER}?status__exact=failed">2 failed jobs</a>' in line
    assert f'<a href="{LEDGER}?status__exact=waiting">1 job waiting too long for a worker</a>' in line
    assert _places(page)["Background jobs"] == LEDGER
    # The link leads to the failed jobs, where "Run again" is offered.
    listing = client.get(f"{LEDGER}?status__exact=failed").content.decode()
    listed = re.findall(r'name="_selected_action" value="(\d+)"', listing)
    assert sorted(int(pk) for pk in listed) == sorted(job.pk for job in ledger)
    assert 'value="run_again"' in listing


def test_the_line_is_in_the_readers_language(world: World, client: Client, ledger: list[Job]) -> None:
    client.force_login(_staff_of_the_secretariat(world))
    page = unescape(client.get("/fr/work/").content.decode())
    assert "/fr/admin/core/job/?status__exact=failed" in page
    assert "Tâches d'arrière-plan" in page


def test_the_line_costs_the_dashboard_one_query(world: World, client: Client, ledger: list[Job]) -> None:
    client.force_login(_staff_of_the_secretariat(world))
    client.get("/en/work/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/work/")
    assert len([query for query in queries if "core_job" in query["sql"]]) == 1


@pytest.mark.parametrize("person", ["focal_point", "helpdesk_agent", "outsider"])
def test_nobody_else_sees_the_jobs(world: World, client: Client, ledger: list[Job], person: str) -> None:
    client.force_login(getattr(world, person))
    page = client.get("/en/work/").content.decode()
    assert "jobs-heading" not in page and LEDGER not in page
    assert "Background jobs" not in _places(page)


def test_the_secretariat_without_admin_access_does_not_see_the_jobs(
    world: World, client: Client, ledger: list[Job]
) -> None:
    # A role on the platform is not leave to open the admin: the link would only be refused.
    client.force_login(world.secretariat)
    page = client.get("/en/work/").content.decode()
    assert "jobs-heading" not in page and LEDGER not in page


def test_the_public_sees_no_jobs(client: Client, ledger: list[Job]) -> None:
    assert client.get("/en/work/").status_code == 302
    assert LEDGER not in client.get("/en/").content.decode()
