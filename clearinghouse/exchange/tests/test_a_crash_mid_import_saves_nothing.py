"""A job that breaks half-way through its save leaves nothing behind and says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.exchange.tests.conftest import workbook_upload
from clearinghouse.needs.models import Need, NeedsAssessment
from clearinghouse.needs.offline.filling import FRENCH_ASSESSMENT, fill_workbook, generated_needs
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.publishing import workflow


def test_a_crash_after_some_drafts_leaves_none_of_them(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    create = workflow.create
    made: list[Any] = []

    def create_then_crash(*args: Any, **kwargs: Any) -> Any:
        if len(made) == 3:
            raise RuntimeError("the disk is full")
        made.append(create(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(workflow, "create", create_then_crash)
    content = fill_workbook(build_workbook("en"), generated_needs(5), FRENCH_ASSESSMENT)
    client.force_login(world.authorised_user)
    response = client.post(
        "/en/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(content)},
        follow=True,
    )
    assert len(made) == 3, "the assessment and two needs were saved before the crash"
    assert not NeedsAssessment.objects.exists() and not Need.objects.exists()
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and not job.upload
    assert "nothing was saved" in response.content.decode()
