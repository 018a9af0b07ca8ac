"""Peers are ranked by the matcher's evidence across languages, one Party a row, with what the
two Parties share; a Party that addressed a similar need says so."""

from __future__ import annotations

import pytest

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import publish_support
from clearinghouse.matchmaking.tests.steps import in_progress
from clearinghouse.needs import services as need_services
from clearinghouse.needs.models import NeedStatus
from clearinghouse.peers import finder
from clearinghouse.peers.tests.conftest import (
    Peers,
    kenyan_need,
    senegalese_unrelated_need,
    tanzanian_need_in_french,
)

pytestmark = pytest.mark.django_db


def test_a_similar_need_in_another_language_ranks_above_an_unrelated_one(peers: Peers) -> None:
    need = kenyan_need(peers)
    similar = tanzanian_need_in_french(peers)
    unrelated = senegalese_unrelated_need(peers)

    found = finder.peers_of(need)

    codes = [peer.country.code for peer in found]
    assert codes[0] == "TZ"
    # The unrelated need shares no term and no words: left out, or at least ranked below.
    assert "SN" not in codes or codes.index("SN") > codes.index("TZ")
    tanzania = found[0]
    assert [item.need for item in tanzania.needs] == [similar]
    assert unrelated not in [item.need for peer in found for item in peer.needs]
    assert [code.code for code in tanzania.shared_subjects] == ["SUBJ-INVASIVE-ALIEN-SPECIES"]
    assert [code.code for code in tanzania.shared_targets] == ["GBF-T6"]
    # Kenya writes in English, Tanzania in French; CLDR gives both English and Kiswahili.
    assert tanzania.shared_languages == ("en", "sw")
    assert not tanzania.addressed


def test_the_needs_own_party_is_never_its_peer(peers: Peers) -> None:
    need = kenyan_need(peers)
    peers.publish(
        peers.world.focal_point,
        peers.world.kenya,
        language="en",
        title="Customs officers trained on invasive alien species at airports",
        description="Airport inspectors need identification guides and training on invasive plants.",
        subjects=("SUBJ-INVASIVE-ALIEN-SPECIES",),
        targets=("GBF-T6",),
    )

    assert finder.peers_of(need) == []


def test_a_party_whose_need_was_addressed_through_a_completed_cooperation_is_listed_so(
    peers: Peers,
) -> None:
    world = peers.world
    kenya_need = kenyan_need(peers)
    offer = publish_support(world, peers.commit)
    match = in_progress(world, kenya_need, offer)
    services.complete(match, actor=world.authorised_user, results="25 inspectors trained.", language="en")
    tanzania_need = tanzanian_need_in_french(peers)

    (kenya,) = finder.peers_of(tanzania_need)

    assert kenya.country == world.kenya
    assert kenya.addressed
    (item,) = kenya.needs
    assert item.need == kenya_need
    assert item.addressed and item.completed_cooperation


def test_a_need_addressed_without_a_match_is_listed_as_addressed(peers: Peers) -> None:
    world = peers.world
    tanzania_need = tanzanian_need_in_french(peers)
    need_services.change_status(tanzania_need, actor=world.other_focal_point, status=NeedStatus.ADDRESSED)
    kenya_need = kenyan_need(peers)

    (tanzania,) = finder.peers_of(kenya_need)

    assert tanzania.addressed
    assert tanzania.needs[0].addressed and not tanzania.needs[0].completed_cooperation


def test_a_need_not_published_has_no_peers(peers: Peers) -> None:
    need = kenyan_need(peers)
    need.live = False

    with pytest.raises(finder.PeerError):
        finder.peers_of(need)
