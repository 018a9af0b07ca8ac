"""The help desk in the API: published FAQ entries for anyone, and the statistics for the
Secretariat and the desks' agents, with the same figures as the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World, token_headers
from clearinghouse.helpdesk import faq
from clearinghouse.helpdesk.models import Channel, Desk, FaqEntry, Status, Ticket
from clearinghouse.helpdesk.tests import factories
from clearinghouse.helpdesk.tests.factories_faq import (
    answered_ticket,
    published_entry,
    secretariat_organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(world: World) -> Desk:
    secretariat_organisation()
    return factories.desk("central", agents=[world.helpdesk_agent], opening_hours=factories.ALWAYS_OPEN)


@pytest.fixture
def entries(world: World, central: Desk, django_capture_on_commit_callbacks: Any) -> dict[str, FaqEntry]:
    topic = factories.topic("courses", name={"en": "Courses"})
    with django_capture_on_commit_callbacks(execute=True):
        public = published_entry(
            world,
            question={"en": "Are courses free?", "ar": "هل الدورات مجانية؟"},
            answer={"en": "Yes.", "ar": "نعم."},
            topic=topic,
        )
        other = published_entry(
            world, question={"fr": "Où est le formulaire ?"}, answer={"fr": "Sous Mon travail."}
        )
    draft = faq.draft_from_ticket(answered_ticket(world, desk=central), actor=world.helpdesk_agent)
    return {"public": public, "other": other, "draft": draft}


def test_anyone_reads_the_published_entries_in_every_language_they_have(
    entries: dict[str, FaqEntry], client: Client
) -> None:
    response = client.get("/api/v1/faq/")
    assert response.status_code == 200
    found = {item["identifier"]: item for item in response.json()["results"]}
    assert set(found) == {entries["public"].identifier, entries["other"].identifier}
    public = found[entries["public"].identifier]
    assert public["question"] == {"en": "Are courses free?", "ar": "هل الدورات مجانية؟"}
    assert public["topic"] == "courses" and public["owner"] == "SCBD" and public["live"] is True
    # The ticket it came from is the help desk's business.
    assert "source_ticket" not in public
    assert [
        item["identifier"] for item in client.get("/api/v1/faq/", {"topic": "courses"}).json()["results"]
    ] == [entries["public"].identifier]
    assert client.get("/api/v1/faq/", {"language": "fr"}).json()["count"] == 1
    assert client.get(f"/api/v1/faq/{entries['public'].identifier}/").status_code == 200
    assert client.get(f"/api/v1/faq/{entries['draft'].identifier}/").status_code == 404


@pytest.fixture
def tickets(world: World, central: Desk) -> list[Ticket]:
    """Two tickets of two Parties in 2026, one answered after 3 hours and rated 4."""
    opened = datetime(2026, 5, 4, 9, tzinfo=UTC)
    first = answered_ticket(world, desk=central, country=world.kenya, channel=Channel.EMAIL)
    second = factories.ticket(desk=central, country=world.tanzania, language="ar")
    Ticket.objects.filter(pk=first.pk).update(
        created_at=opened,
        first_response_at=opened + timedelta(hours=3),
        first_response_due=opened + timedelta(hours=4),
        status=Status.CLOSED,
        waiting_since=None,
        closed_at=opened + timedelta(hours=5),
        resolution_due=opened + timedelta(hours=16),
        satisfaction=4,
    )
    Ticket.objects.filter(pk=second.pk).update(created_at=opened + timedelta(days=1))
    return [first, second]


def test_the_statistics_need_an_account_of_the_secretariat_or_a_desk(
    tickets: list[Ticket], world: World, client: Client
) -> None:
    assert client.get("/api/v1/helpdesk/statistics/").status_code in {401, 403}
    assert (
        client.get("/api/v1/helpdesk/statistics/", headers=token_headers(world.outsider)).status_code == 403
    )
    assert (
        client.get("/api/v1/helpdesk/statistics/", headers=token_headers(world.focal_point)).status_code
        == 403
    )


def test_the_statistics_give_the_pages_figures_as_json(
    tickets: list[Ticket], world: World, client: Client
) -> None:
    response = client.get(
        "/api/v1/helpdesk/statistics/",
        {"start": "2026-01-01", "end": "2026-12-31"},
        headers=token_headers(world.helpdesk_agent),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["tickets"] == 2 and data["desks"] == ["central"]
    assert data["start"] == "2026-01-01" and data["end"] == "2026-12-31"
    tables = {
        table["name"]: {row["key"]: row["count"] for row in table["rows"]} for table in data["breakdowns"]
    }
    assert tables["party"] == {"KE": 1, "TZ": 1} and tables["channel"] == {"email": 1, "web": 1}
    first = next(timing for timing in data["timings"] if timing["name"] == "first_response")
    assert (
        first["median_hours"] == 3.0 and first["within_target"] == 1 and first["share_within_target"] == 100.0
    )
    assert data["satisfaction"]["rated"] == 1 and data["satisfaction"]["average"] == "4.00"
    assert data["parties_by_year"] == [{"year": 2026, "parties": 2}]
    assert data["parties_assisted"] == 2 and data["to_matchmaking"] == 0
    # Outside the period, nothing.
    empty = client.get(
        "/api/v1/helpdesk/statistics/", {"end": "2025-12-31"}, headers=token_headers(world.secretariat)
    ).json()
    assert empty["tickets"] == 0 and empty["timings"][0]["median_hours"] is None


def test_a_bad_period_or_another_desk_is_refused(tickets: list[Ticket], world: World, client: Client) -> None:
    headers = token_headers(world.secretariat)
    response = client.get(
        "/api/v1/helpdesk/statistics/", {"start": "2026-03-01", "end": "2026-01-01"}, headers=headers
    )
    assert response.status_code == 400
    assert (
        client.get("/api/v1/helpdesk/statistics/", {"start": "yesterday"}, headers=headers).status_code == 400
    )
    assert client.get("/api/v1/helpdesk/statistics/", {"desk": "nowhere"}, headers=headers).status_code == 400
