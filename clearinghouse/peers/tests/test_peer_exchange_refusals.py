"""A peer exchange is refused, with a clear message and nothing saved, when it is proposed to
one's own Party, to a Party with no published need, twice while one is live, by someone who does
not act for the need, or with a funder who is one of the two Parties."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Match
from clearinghouse.peers.tests.conftest import Peers, kenyan_need, tanzanian_need_in_french

pytestmark = pytest.mark.django_db

MESSAGE = "Tanzania trained its customs officers last year: could we learn from you?"


def _refused(field: str, call: object) -> services.MatchmakingError:
    before = Match.objects.count()
    with pytest.raises(services.MatchmakingError) as refused:
        call()  # type: ignore[operator]
    # The refusal is on the form's field it concerns.
    assert field in refused.value.message_dict
    # Nothing half-saved: no match, no case moved along.
    assert Match.objects.count() == before
    return refused.value


def test_proposing_to_ones_own_party_is_refused(peers: Peers) -> None:
    world = peers.world
    need = kenyan_need(peers)
    error = _refused(
        "peer",
        lambda: services.propose_peer_exchange(
            need, world.kenya, counterpart=need, actor=world.focal_point, message=MESSAGE
        ),
    )
    assert error.message_dict["peer"] == ["A Party cannot propose a peer exchange to itself."]


def test_proposing_to_a_party_with_no_published_need_is_refused(peers: Peers) -> None:
    world = peers.world
    need = kenyan_need(peers)
    error = _refused(
        "peer",
        lambda: services.propose_peer_exchange(
            need, peers.senegal, counterpart=None, actor=world.focal_point, message=MESSAGE
        ),
    )
    assert error.message_dict["peer"] == ["Senegal has no published need to exchange on."]


def test_a_counterpart_that_is_not_the_peers_need_is_refused(peers: Peers) -> None:
    world = peers.world
    need = kenyan_need(peers)
    tanzanian_need_in_french(peers)
    _refused(
        "counterpart",
        lambda: services.propose_peer_exchange(
            need, world.tanzania, counterpart=need, actor=world.focal_point, message=MESSAGE
        ),
    )


def test_proposing_twice_while_one_is_live_is_refused(peers: Peers) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    services.propose_peer_exchange(
        need, world.tanzania, counterpart=theirs, actor=world.focal_point, message=MESSAGE
    )
    error = _refused(
        "peer",
        lambda: services.propose_peer_exchange(
            need, world.tanzania, counterpart=theirs, actor=world.helpdesk_agent, message=MESSAGE
        ),
    )
    assert error.message_dict["peer"] == ["An exchange with Tanzania is already under way for this need."]


def test_once_the_first_is_cancelled_the_pair_may_be_tried_again(peers: Peers) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    first = services.propose_peer_exchange(
        need, world.tanzania, counterpart=theirs, actor=world.focal_point, message=MESSAGE
    )
    services.cancel(first, actor=world.focal_point, reason="Wrong contact.")

    again = services.propose_peer_exchange(
        need, world.tanzania, counterpart=theirs, actor=world.focal_point, message=MESSAGE
    )
    assert again.pk != first.pk


def test_a_funder_who_is_one_of_the_two_parties_is_refused(peers: Peers) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    _refused(
        "funder",
        lambda: services.propose_peer_exchange(
            need,
            world.tanzania,
            counterpart=theirs,
            actor=world.focal_point,
            message=MESSAGE,
            funder=world.kenya,
        ),
    )


def test_an_empty_message_is_refused(peers: Peers) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    error = _refused(
        "message",
        lambda: services.propose_peer_exchange(
            need, world.tanzania, counterpart=theirs, actor=world.focal_point, message="  "
        ),
    )
    assert "message" in error.message_dict


@pytest.mark.parametrize("person", ["other_focal_point", "partner_editor", "outsider"])
def test_only_the_needs_party_and_the_help_desk_propose(peers: Peers, person: str) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    with pytest.raises(PermissionDenied):
        services.propose_peer_exchange(
            need, world.tanzania, counterpart=theirs, actor=getattr(world, person), message=MESSAGE
        )
    assert not Match.objects.exists()
