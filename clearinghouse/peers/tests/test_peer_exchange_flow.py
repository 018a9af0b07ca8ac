"""A peer exchange is followed like any match: the peer Party's focal point answers it as a
provider does, the requester confirms, and agreeing makes it a South–South or triangular
cooperation, the funder of a triangular one among its parties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clearinghouse.matchmaking import services, sides
from clearinghouse.matchmaking.models import CooperationKind, MatchState, PartyRole
from clearinghouse.needs.models import NeedStatus
from clearinghouse.peers.tests.conftest import Peers, kenyan_need, tanzanian_need_in_french

pytestmark = pytest.mark.django_db


def _details(kind: str, **changes: object) -> services.CooperationInput:
    values: dict[str, object] = {
        "kind": kind,
        "description": "Two study visits of customs officers, Nairobi then Dar es Salaam.",
        "language": "en",
        "start_date": date(2026, 10, 1),
    } | changes
    return services.CooperationInput(**values)  # type: ignore[arg-type]


def test_a_south_south_exchange_goes_from_proposal_to_cooperation(peers: Peers, mailoutbox: list) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)

    with peers.commit(execute=True):
        match = services.propose_peer_exchange(
            need, world.tanzania, counterpart=theirs, actor=world.focal_point, message="Could we learn?"
        )
    assert match.state == MatchState.PROPOSED and match.exchange == "south_south"
    assert match.support_identifier == theirs.identifier
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_MATCHMAKING
    # The peer's focal point is told, sees it and answers it as a provider.
    # Tanzania's focal point was told of its own need's publication before: the last e-mail.
    told = [message for message in mailoutbox if world.other_focal_point.email in message.to][-1]
    assert "Kenya proposes a peer exchange (South–South cooperation)" in told.body
    assert "Could we learn?" in told.body
    assert sides.can_see(world.other_focal_point, match)
    assert sides.actions_for(world.other_focal_point, match) == ["accept", "decline", "cancel"]
    # Nobody answers for another side: Kenya cannot accept its own proposal.
    with pytest.raises(services.NotAllowedError):
        services.accept(match, actor=world.focal_point)

    services.accept(match, actor=world.other_focal_point, note="Avec plaisir.")
    services.confirm(match, actor=world.authorised_user)
    with pytest.raises(services.MatchmakingError) as refused:
        services.agree(match, actor=world.helpdesk_agent, details=_details(CooperationKind.TRAINING))
    assert refused.value.message_dict["kind"] == ["This peer exchange is agreed as South–South cooperation."]
    cooperation = services.agree(
        match, actor=world.helpdesk_agent, details=_details(CooperationKind.SOUTH_SOUTH)
    )

    assert cooperation.kind == CooperationKind.SOUTH_SOUTH
    assert {(party.role, party.country) for party in cooperation.parties.all()} == {
        (PartyRole.REQUESTER, world.kenya),
        (PartyRole.PROVIDER, world.tanzania),
    }
    need.refresh_from_db()
    theirs.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    # The peer's need is the counterpart, not a need of this case: its status is its own.
    assert theirs.status == NeedStatus.OPEN


def test_a_triangular_exchange_counts_its_funder_among_the_cooperations_parties(peers: Peers) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    match = services.propose_peer_exchange(
        need,
        world.tanzania,
        counterpart=theirs,
        actor=world.helpdesk_agent,
        message="The network would fund the visits.",
        funder=world.international,
    )
    assert match.exchange == "triangular" and match.funder == world.international
    services.accept(match, actor=world.other_focal_point)
    services.confirm(match, actor=world.focal_point)
    cooperation = services.agree(
        match,
        actor=world.other_focal_point,
        details=_details(
            CooperationKind.TRIANGULAR,
            contributions=[
                services.ContributionInput(world.international, Decimal("15000"), "USD", "financial")
            ],
        ),
    )

    assert cooperation.kind == CooperationKind.TRIANGULAR
    assert (PartyRole.OTHER, world.international) in {
        (party.role, party.organisation) for party in cooperation.parties.all()
    }
    assert cooperation.totals() == {"USD": {"financial": Decimal("15000.00")}}
