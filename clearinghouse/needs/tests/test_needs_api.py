from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World, invasive_species_need_values, token_headers
from clearinghouse.needs.models import Need
from clearinghouse.publishing import workflow

pytestmark = pytest.mark.usefixtures("vocabularies")


def _need(world: World, publish: bool) -> Need:
    need = workflow.create(
        Need,
        actor=world.authorised_user,
        owner=world.kenya,
        values=invasive_species_need_values(
            "fr", "Formation des douaniers", "Espèces exotiques envahissantes"
        ),
    )
    if publish:
        workflow.submit(need, actor=world.authorised_user)
        workflow.publish(need, actor=world.focal_point)
    return need


def test_the_public_reads_published_needs_without_contact_details(world: World, client: Client) -> None:
    published, draft = _need(world, True), _need(world, False)
    body = client.get("/api/v1/needs/").json()
    assert [item["identifier"] for item in body["results"]] == [published.identifier]
    item = body["results"][0]
    assert item["title"] == {"fr": "Formation des douaniers"}
    assert item["gbf_targets"] == ["GBF-T6"]
    assert "contact_email" not in item
    assert client.get(f"/api/v1/needs/{draft.identifier}/").status_code == 404


def test_owners_read_their_drafts_with_contact_details(world: World, client: Client) -> None:
    draft = _need(world, False)
    headers = token_headers(world.authorised_user)
    item = client.get(f"/api/v1/needs/{draft.identifier}/", headers=headers).json()
    assert item["contact_email"] == "awa@example.org"
    other_headers = token_headers(world.other_focal_point)
    response = client.get(f"/api/v1/needs/{draft.identifier}/", headers=other_headers)
    assert response.status_code == 404


def test_needs_filter_by_party_target_and_support_type(world: World, client: Client) -> None:
    need = _need(world, True)
    assert (
        client.get("/api/v1/needs/", {"party": "ke", "target": "GBF-T6", "support_type": "training"}).json()[
            "count"
        ]
        == 1
    )
    assert client.get("/api/v1/needs/", {"party": "TZ"}).json()["count"] == 0
    assert need.identifier.startswith("CB-NEED-KE-")
