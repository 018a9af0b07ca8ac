""" "Not relevant" from the requester, the provider or the help desk is stored and becomes a
penalty the matcher subtracts: the offer drops in the need's ranking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.matching import suggestions
from clearinghouse.matching.scoring import Weights
from clearinghouse.matchmaking import ranking, services
from clearinghouse.matchmaking.models import Feedback
from clearinghouse.matchmaking.tests.conftest import Scene, publish_support


def test_feedback_is_stored_and_becomes_penalties_both_ways(scene: Scene) -> None:
    world = scene.world
    feedback = services.mark_not_relevant(
        scene.need,
        scene.offer.identifier,
        actor=world.authorised_user,
        reason="We need funding, not training.",
    )
    assert (feedback.need, feedback.support_identifier, feedback.given_by) == (
        scene.need,
        scene.offer.identifier,
        world.authorised_user,
    )
    assert ranking.penalties_for_need(scene.need) == {scene.offer.identifier: Weights().not_relevant}
    assert ranking.penalties_for_support(scene.offer) == {scene.need.identifier: Weights().not_relevant}


def test_the_provider_and_the_help_desk_may_say_it_a_stranger_may_not(scene: Scene) -> None:
    world = scene.world
    services.mark_not_relevant(
        scene.need, scene.offer.identifier, actor=world.partner_editor, reason="Outside our region."
    )
    services.mark_not_relevant(
        scene.need, scene.offer.identifier, actor=world.helpdesk_agent, reason="Wrong kind."
    )
    for person in (world.outsider, world.other_focal_point):
        with pytest.raises(PermissionDenied):
            services.mark_not_relevant(scene.need, scene.offer.identifier, actor=person, reason="No.")
    with pytest.raises(ValidationError):
        services.mark_not_relevant(scene.need, scene.offer.identifier, actor=world.authorised_user, reason="")
    assert Feedback.objects.count() == 2


def test_the_offer_drops_in_the_ranking_once_marked_not_relevant(scene: Scene) -> None:
    world = scene.world
    other = publish_support(
        world,
        scene.commit,
        title="Short course on identifying invasive plants at borders",
        description="<p>Customs inspectors learn to identify invasive alien species.</p>",
    )
    before = [item.record.identifier for item in ranking.support_for(scene.need).items]
    assert set(before[:2]) == {scene.offer.identifier, other.identifier}
    top = before[0]
    services.mark_not_relevant(scene.need, top, actor=world.authorised_user, reason="Already tried it.")
    after = [item.record.identifier for item in ranking.support_for(scene.need).items]
    assert after[0] != top
    # The penalty is the engine's: the same ranking as asking the matcher with it directly.
    direct = suggestions.support_for(scene.need, penalties={top: Weights().not_relevant})
    assert [item.record.identifier for item in direct] == after


def test_needs_for_an_offer_leave_out_what_its_provider_marked(scene: Scene) -> None:
    world = scene.world
    found = [item.record.identifier for item in ranking.needs_for(scene.offer).items]
    assert found and found[0] == scene.need.identifier
    services.mark_not_relevant(
        scene.need, scene.offer.identifier, actor=world.partner_editor, reason="Not our region."
    )
    ranked = ranking.needs_for(scene.offer).items
    penalised = {item.record.identifier: item.score for item in ranked}
    unpenalised = {item.record.identifier: item.score for item in suggestions.needs_for(scene.offer)}
    assert penalised[scene.need.identifier] == pytest.approx(
        unpenalised[scene.need.identifier] - Weights().not_relevant
    )
