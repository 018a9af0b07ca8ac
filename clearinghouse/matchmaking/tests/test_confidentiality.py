"""The provider does not see the requester's contact details (the need's contact name and
e-mail) until the requester agrees to share them: by ticking consent in the request, or by
confirming the match. On the match page and in the e-mails alike."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import Scene, publish_request
from clearinghouse.matchmaking.tests.steps import proposed

CONTACT = "salma@example.org"


def _page(client: Client, scene: Scene, pk: int) -> str:
    client.force_login(scene.world.partner_editor)
    response = client.get(f"/en/matchmaking/matches/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_provider_sees_the_contact_only_after_the_requester_confirms(
    scene: Scene, client: Client
) -> None:
    world = scene.world
    mail.outbox.clear()
    with scene.commit(execute=True):
        match = proposed(world, scene.need, scene.offer)
    page = _page(client, scene, match.pk)
    assert "Customs officers able to identify" in page
    assert CONTACT not in page and "Salma Odhiambo" not in page
    to_provider = [message for message in mail.outbox if world.partner_editor.email in message.to]
    assert to_provider and CONTACT not in to_provider[0].body
    with scene.commit(execute=True):
        services.accept(match, actor=world.partner_editor)
    assert CONTACT not in _page(client, scene, match.pk)
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.confirm(match, actor=world.authorised_user)
    page = _page(client, scene, match.pk)
    assert CONTACT in page and "Salma Odhiambo" in page
    to_provider = [message for message in mail.outbox if world.partner_editor.email in message.to]
    assert to_provider and CONTACT in to_provider[0].body


def test_consent_given_in_the_request_shares_the_contact_from_the_proposal(
    scene: Scene, client: Client
) -> None:
    request = publish_request(scene.world, scene.commit, [scene.need], consent=True)
    mail.outbox.clear()
    with scene.commit(execute=True):
        match = proposed(scene.world, request, scene.offer)
    assert CONTACT in _page(client, scene, match.pk)
    to_provider = [message for message in mail.outbox if scene.world.partner_editor.email in message.to]
    assert CONTACT in to_provider[0].body


def test_the_requester_and_the_help_desk_always_see_it(scene: Scene, client: Client) -> None:
    match = proposed(scene.world, scene.need, scene.offer)
    for person in (scene.world.authorised_user, scene.world.helpdesk_agent):
        client.force_login(person)
        assert CONTACT in client.get(f"/en/matchmaking/matches/{match.pk}/").content.decode()
    client.force_login(scene.world.helpdesk_agent)
    assert CONTACT in client.get(f"/en/matchmaking/cases/{match.case_id}/").content.decode()


def test_a_shortlisted_match_is_not_shown_to_the_provider(scene: Scene, client: Client) -> None:
    from clearinghouse.matchmaking.tests.steps import case_for

    match = services.shortlist(
        case_for(scene.world, scene.need), scene.offer, actor=scene.world.helpdesk_agent
    )
    client.force_login(scene.world.partner_editor)
    assert client.get(f"/en/matchmaking/matches/{match.pk}/").status_code == 404
    assert scene.need.identifier not in client.get("/en/matchmaking/mine/").content.decode()
