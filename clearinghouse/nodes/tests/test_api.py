"""The register of national CHMs as data: public and read-only, with each Party's status history
and the needs it published to ask for support (never one still in review), a bad filter refused
in the reader's language, at a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clearinghouse.core.testing import World
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, Status
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


def _ask(chm: NationalCHM, actor: Any, title: str) -> Any:
    return services.request_support(
        chm,
        actor=actor,
        language="en",
        title=title,
        description="The national CHM team needs training.",
        support_types=list(Term.objects.filter(vocabulary__name="support-types", code="training")),
    )


def test_the_register_lists_each_chm_with_its_history_and_published_requests(
    world: World, kenyan_chm: NationalCHM, activity_72: Activity, client: Client
) -> None:
    published = _ask(kenyan_chm, world.focal_point, "Migrating to the current Bioland release")
    workflow.publish(published.need, actor=world.secretariat)
    in_review = _ask(kenyan_chm, world.focal_point, "A second request still in review")

    answer = client.get("/api/v1/national-chms/")
    assert answer.status_code == 200
    [kenya] = answer.json()["results"]
    assert kenya["government"] == "KE" and kenya["status"] == "functional"
    assert kenya["website"] == "https://ke.chm-cbd.net" and kenya["technology"] == "bioland"
    assert kenya["history"] == [
        {"status": "planned", "since": "2023-05-02", "until": "2024-03-01"},
        {"status": "functional", "since": "2024-03-01", "until": None},
    ]
    assert kenya["support_requests"] == [published.need.identifier]
    assert in_review.need.identifier not in answer.content.decode()
    assert kenya["page"] == "http://testserver/en/countries/ke/"
    # Who recorded a change is not the public's business.
    assert "recorded_by" not in answer.content.decode()

    detail = client.get("/api/v1/national-chms/ke/")
    assert detail.status_code == 200 and detail.json()["government"] == "KE"
    assert client.get("/api/v1/national-chms/TZ/").status_code == 404


def test_the_register_is_filtered_by_status_and_refuses_an_unknown_one(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    services.register(
        world.tanzania, actor=world.secretariat, status=Status.PLANNED, since=date(2025, 1, 6), values={}
    )
    planned = client.get("/api/v1/national-chms/", {"status": "planned"}).json()["results"]
    assert [chm["government"] for chm in planned] == ["TZ"]
    refused = client.get("/api/v1/national-chms/", {"status": "closed"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400
    assert "closed" in refused.content.decode() and "choix valide" in refused.content.decode()


def test_the_register_costs_the_same_queries_whatever_its_length(
    world: World, kenyan_chm: NationalCHM, client: Client
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/national-chms/").status_code == 200
        return len(context.captured_queries)

    one = queries()
    services.register(
        world.tanzania, actor=world.secretariat, status=Status.PLANNED, since=date(2025, 1, 6), values={}
    )
    assert queries() == one
