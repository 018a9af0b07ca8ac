"""Two people edit the same need: the second to save is refused with 409 and told when it was
changed, on the page (no JavaScript needed) and in the outbox's envelope, in their language;
their text stays in the form."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow

pytestmark = pytest.mark.usefixtures("vocabularies")


def _need(world: World) -> Need:
    values = invasive_species_need_values("en", "Customs officers and invasive species", "Training.")
    return workflow.create(Need, actor=world.authorised_user, owner=world.kenya, values=values)


def _changed_by_a_colleague(world: World, need: Need) -> int:
    opened_at = need.revision_number
    workflow.save_draft(need, actor=world.focal_point, values={"priority": "low"}, base_revision=opened_at)
    return opened_at


def test_the_page_refuses_with_409_and_keeps_the_text(world: World, client: Client) -> None:
    need = _need(world)
    opened_at = _changed_by_a_colleague(world, need)
    client.force_login(world.authorised_user)
    response = client.post(
        f"/en/needs/edit/{need.identifier}/describe/",
        {"action": "save", "base_revision": opened_at, "title": "My newer title", "description": "Mine."},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record on" in html
    assert "My newer title" in html, "the person's text is still in the form"
    need.refresh_from_db()
    assert need.priority == "low" and need.title == {"en": "Customs officers and invasive species"}


def test_the_outbox_is_told_of_the_conflict_in_arabic(world: World, client: Client) -> None:
    need = _need(world)
    opened_at = _changed_by_a_colleague(world, need)
    client.force_login(world.authorised_user)
    response = client.post(
        f"/ar/needs/edit/{need.identifier}/describe/",
        {
            "action": "save",
            "base_revision": opened_at,
            "title": "عنوان أحدث",
            "submission_id": str(uuid.uuid4()),
        },
        headers={"X-Outbox": "1"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["outcome"] == "conflict"
    assert body["message"].startswith("قام شخص آخر بتغيير هذا السجل في")
    need.refresh_from_db()
    assert need.title == {"en": "Customs officers and invasive species"}


def _save_step(client: Client, need: Need, headers: dict[str, str]) -> Any:
    """The describe step saved from the version it was opened at, as the outbox sends it."""
    return client.post(
        f"/en/needs/edit/{need.identifier}/describe/",
        {
            "action": "save",
            "base_revision": need.revision_number,
            "title": "Customs officers",
            "description": "Training.",
            "priority": "high",
            "submission_id": str(uuid.uuid4()),
        },
        headers=headers,
    )


def test_a_step_saved_from_the_version_it_opened_is_accepted(world: World, client: Client) -> None:
    need = _need(world)
    client.force_login(world.authorised_user)
    response = _save_step(client, need, {"X-Outbox": "1"})
    assert response.json()["outcome"] == "sent"
    assert response.json()["location"] == f"/en/needs/edit/{need.identifier}/describe/"
    # What the step's page would have said, said in the outbox, and on that page no more.
    assert response.json()["message"] == "Draft saved."
    assert "Draft saved." not in client.get(response.json()["location"]).content.decode()


def test_a_step_the_page_sends_online_leaves_its_message_for_the_page_it_opens(
    world: World, client: Client
) -> None:
    """Online, the page sends its form through the outbox and then opens where it leads: the
    confirmation waits for that page."""
    need = _need(world)
    client.force_login(world.authorised_user)
    response = _save_step(client, need, {"X-Outbox": "1", "X-Outbox-Follow": "1"})
    assert response.json()["outcome"] == "sent"
    assert "Draft saved." not in response.json()["message"]
    assert "Draft saved." in client.get(response.json()["location"]).content.decode()
