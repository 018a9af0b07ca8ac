"""Buttons that start something (register a need, request assistance, register or import support
records) are offered only to people whose role lets them; a person without a role is shown how to
get one instead of a page that refuses them."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.core.testing import World

NEEDS_ACTIONS = ("/en/needs/new/need/", "/en/needs/new/assessment/", "/en/needs/new/request/")
SUPPORT_ACTIONS = ("/en/support/offers/new/", "/en/support/offers/import/")


@pytest.mark.parametrize("person", ["learner", "trainer", "helpdesk_agent"])
def test_people_without_a_registering_role_are_not_offered_to_register(
    world: World, client: Client, person: str
) -> None:
    client.force_login(getattr(world, person))
    needs = client.get("/en/needs/").content.decode()
    support = client.get("/en/support/offers/").content.decode()
    for action in NEEDS_ACTIONS:
        assert action not in needs
        # What the button would have led to refuses them: that is why it is not offered.
        assert client.get(action).status_code == 403
    for action in SUPPORT_ACTIONS:
        assert action not in support
        assert client.get(action).status_code == 403
    assert "/en/work/#access" in needs


@pytest.mark.parametrize("person", ["authorised_user", "partner_editor", "secretariat"])
def test_people_who_register_records_are_offered_to(world: World, client: Client, person: str) -> None:
    client.force_login(getattr(world, person))
    needs = client.get("/en/needs/").content.decode()
    support = client.get("/en/support/offers/").content.decode()
    assert all(action in needs for action in NEEDS_ACTIONS)
    assert all(action in support for action in SUPPORT_ACTIONS)
    assert client.get(NEEDS_ACTIONS[0]).status_code == 200
