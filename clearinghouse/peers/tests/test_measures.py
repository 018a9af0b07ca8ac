"""Monitoring counts South–South cooperation: peer exchanges proposed, agreed and completed, by
kind (South–South or triangular) and by the requesting Party's region, each on its own date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import CooperationKind
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.peers.tests.conftest import Peers, kenyan_need, tanzanian_need_in_french
from clearinghouse.publishing.registry import measures

pytestmark = pytest.mark.django_db

STARTS = Period(date(2026, 10, 1), date(2026, 10, 1))


def _count(code: str, period: Period | None = None, **options: Any) -> dict[str, float]:
    today = timezone.localdate()
    return measure_values(measures()[code], period or Period(today, today), **options)


def test_peer_exchanges_are_counted_proposed_agreed_and_completed_by_kind(peers: Peers) -> None:
    world = peers.world
    need, theirs = kenyan_need(peers), tanzanian_need_in_french(peers)
    back = peers.publish(
        world.other_focal_point,
        world.tanzania,
        language="en",
        title="Customs officers trained on invasive species at ports",
        description="Port inspectors need identification guides.",
        subjects=("SUBJ-INVASIVE-ALIEN-SPECIES",),
        targets=("GBF-T6",),
    )
    south_south = services.propose_peer_exchange(
        need, world.tanzania, counterpart=theirs, actor=world.focal_point, message="Learn together?"
    )
    services.propose_peer_exchange(
        back,
        world.kenya,
        counterpart=need,
        actor=world.other_focal_point,
        message="The network funds it.",
        funder=world.international,
    )
    assert _count("matchmaking.peer_exchanges", dimension="kind") == {"south_south": 1, "triangular": 1}
    assert _count("matchmaking.peer_exchanges", dimension="party") == {"KE": 1, "TZ": 1}
    assert _count("matchmaking.peer_exchanges_agreed", STARTS) == {"": 0}

    services.accept(south_south, actor=world.other_focal_point)
    services.confirm(south_south, actor=world.focal_point)
    services.agree(
        south_south,
        actor=world.helpdesk_agent,
        details=services.CooperationInput(
            kind=CooperationKind.SOUTH_SOUTH,
            description="Study visits.",
            language="en",
            start_date=STARTS.start,
        ),
    )
    services.start(south_south, actor=world.focal_point)
    services.complete(south_south, actor=world.focal_point, results="Officers trained.", language="en")

    assert _count("matchmaking.peer_exchanges_agreed", STARTS, dimension="kind") == {"south_south": 1}
    assert _count("matchmaking.peer_exchanges_completed", dimension="kind") == {"south_south": 1}
    # The cooperations' own measure counts the kind too; other matches are no peer exchanges.
    assert _count("matchmaking.cooperations", STARTS, dimension="kind") == {"south_south": 1}
