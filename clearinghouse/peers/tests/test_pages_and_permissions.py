"""The page "Parties with similar needs" is public for a published need; proposing an exchange is
for the need's Party and the help desk; the proposal's page refuses bad input on the form; the
match it makes is seen and answered by the peer's focal point; the case page links to the peers."""

from __future__ import annotations

import pytest
from django.test import Client

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Match
from clearinghouse.peers.tests.conftest import Peers, kenyan_need, tanzanian_need_in_french

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_peers_of_a_published_need_but_only_its_party_may_propose(
    peers: Peers, client: Client
) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    url = f"/en/peers/needs/{need.identifier}/"

    page = client.get(url).content.decode()
    assert "Parties with similar needs" in page
    assert "Tanzania" in page and theirs.identifier in page
    # Terms by their labels in the reader's language, never their codes.
    assert "Invasive alien species" in page and "SUBJ-INVASIVE-ALIEN-SPECIES" not in page
    assert "Propose a peer exchange" not in page

    client.force_login(world.other_focal_point)
    assert "Propose a peer exchange" not in client.get(url).content.decode()
    for person in (world.focal_point, world.authorised_user, world.helpdesk_agent):
        client.force_login(person)
        assert "Propose a peer exchange" in client.get(url).content.decode()


def test_the_need_page_links_to_its_peers(peers: Peers, client: Client) -> None:
    need = kenyan_need(peers)
    page = client.get(f"/en/needs/{need.identifier}/").content.decode()
    assert f"/en/peers/needs/{need.identifier}/" in page


def test_a_need_not_published_has_no_peers_page(peers: Peers, client: Client) -> None:
    need = kenyan_need(peers)
    type(need).objects.filter(pk=need.pk).update(live=False)
    assert client.get(f"/en/peers/needs/{need.identifier}/").status_code == 404
    assert client.get(f"/en/peers/needs/{need.identifier}/").status_code == 404


def test_only_the_needs_party_and_the_help_desk_open_the_proposal(peers: Peers, client: Client) -> None:
    world = peers.world
    need = kenyan_need(peers)
    tanzanian_need_in_french(peers)
    url = f"/en/peers/needs/{need.identifier}/propose/TZ/"

    assert client.get(url).status_code == 302  # to sign in
    for person in (world.outsider, world.other_focal_point, world.partner_editor):
        client.force_login(person)
        assert client.get(url).status_code == 403
    for person in (world.focal_point, world.helpdesk_agent):
        client.force_login(person)
        assert client.get(url).status_code == 200


def test_the_proposal_is_sent_and_the_peer_answers_it_from_the_match_page(
    peers: Peers, client: Client
) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    client.force_login(world.focal_point)
    response = client.post(
        f"/en/peers/needs/{need.identifier}/propose/TZ/",
        {"counterpart": theirs.identifier, "funder": "", "message": "Could we visit your border posts?"},
    )
    match = Match.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/matchmaking/matches/{match.pk}/"

    client.force_login(world.other_focal_point)
    page = client.get(f"/en/matchmaking/matches/{match.pk}/").content.decode()
    assert "Could we visit your border posts?" in page
    assert "South–South cooperation" in page and "a peer exchange with Tanzania" in page
    assert "Accept" in page
    assert match.pk in [found.pk for found in services.sides.awaiting_answer(world.other_focal_point)]
    # Back on the peers page, Kenya's people see the exchange under way rather than a new proposal.
    client.force_login(world.focal_point)
    assert (
        "An exchange with this Party is under way"
        in client.get(f"/en/peers/needs/{need.identifier}/").content.decode()
    )


def test_a_proposal_to_a_party_with_no_published_need_comes_back_with_the_reason(
    peers: Peers, client: Client
) -> None:
    world = peers.world
    need = kenyan_need(peers)
    client.force_login(world.focal_point)
    response = client.post(
        f"/en/peers/needs/{need.identifier}/propose/SN/", {"counterpart": "", "message": "Hello"}
    )
    assert response.status_code == 400
    assert "Senegal has no published need to exchange on." in response.content.decode()
    assert not Match.objects.exists()


def test_the_case_page_links_to_the_needs_peers(peers: Peers, client: Client) -> None:
    world = peers.world
    need = kenyan_need(peers)
    case = services.open_case(need, actor=world.helpdesk_agent)
    client.force_login(world.helpdesk_agent)
    page = client.get(f"/en/matchmaking/cases/{case.pk}/").content.decode()
    assert f"/en/peers/needs/{need.identifier}/" in page


def test_the_page_reads_right_to_left_in_arabic(peers: Peers, client: Client) -> None:
    need = kenyan_need(peers)
    tanzanian_need_in_french(peers)
    page = client.get(f"/ar/peers/needs/{need.identifier}/").content.decode()
    assert 'dir="rtl"' in page
    assert "أطراف ذات احتياجات مماثلة" in page
    assert "تنزانيا" in page


def test_a_triangular_proposal_names_its_funder_on_the_match_page(peers: Peers, client: Client) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    client.force_login(world.helpdesk_agent)
    client.post(
        f"/en/peers/needs/{need.identifier}/propose/TZ/",
        {
            "counterpart": theirs.identifier,
            "funder": f"organisation:{world.international.pk}",
            "message": "The network would fund two study visits.",
        },
    )
    match = Match.objects.get()
    assert match.exchange == "triangular" and match.funder == world.international
    page = client.get(f"/en/matchmaking/matches/{match.pk}/").content.decode()
    assert "Triangular cooperation" in page and "funded by Global Biodiversity Training Network" in page
