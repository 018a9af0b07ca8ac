"""/api/v1/matches/: the signed-in person's own matches, read only; never the need's contacts."""

from __future__ import annotations

from django.test import Client

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import Scene
from clearinghouse.matchmaking.tests.steps import agreed, case_for


def _identifiers(client: Client) -> list[str]:
    response = client.get("/api/v1/matches/")
    assert response.status_code == 200
    return [row["need"] for row in response.json()["results"]]


def test_each_person_gets_their_own_matches(scene: Scene, client: Client) -> None:
    world = scene.world
    match = services.shortlist(case_for(world, scene.need), scene.offer, actor=world.helpdesk_agent)
    client.force_login(world.authorised_user)
    assert _identifiers(client) == [scene.need.identifier]
    # The provider sees it once it is proposed to them.
    client.force_login(world.partner_editor)
    assert _identifiers(client) == []
    services.propose(match, actor=world.helpdesk_agent, message="Please.")
    assert _identifiers(client) == [scene.need.identifier]
    client.force_login(world.outsider)
    assert _identifiers(client) == []


def test_a_match_carries_its_history_and_cooperation_not_the_contacts(scene: Scene, client: Client) -> None:
    agreed(scene.world, scene.need, scene.offer)
    client.force_login(scene.world.partner_editor)
    row = client.get("/api/v1/matches/").json()["results"][0]
    assert [step["state"] for step in row["history"]] == [
        "suggested",
        "proposed",
        "accepted",
        "confirmed",
        "agreed",
    ]
    assert {item["currency"] for item in row["cooperation"]["contributions"]} == {"USD", "KES"}
    assert "salma@example.org" not in str(row)


def test_matches_are_for_signed_in_people(client: Client, db: None) -> None:
    assert client.get("/api/v1/matches/").status_code == 401
