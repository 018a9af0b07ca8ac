"""Both sides hear of each step, each person in their own language, through the queued e-mail."""

from __future__ import annotations

from django.core import mail

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.tests.conftest import Scene
from clearinghouse.matchmaking.tests.steps import confirmed, cooperation_details, proposed


def _to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def test_each_step_reaches_the_right_people_in_their_languages(scene: Scene) -> None:
    world = scene.world
    world.partner_editor.preferred_language = "fr"
    world.partner_editor.save()
    world.authorised_user.preferred_language = "ar"
    world.authorised_user.save()
    mail.outbox.clear()
    with scene.commit(execute=True):
        match = proposed(world, scene.need, scene.offer)
    # Proposed: the provider's people only, with the coordinator's message.
    assert {message.to[0] for message in mail.outbox} == {world.partner_editor.email}
    proposal = _to(world.partner_editor.email)[0]
    assert "Nature Kenya runs exactly this training." in proposal.body
    assert "/fr/matchmaking/matches/" in proposal.body

    mail.outbox.clear()
    with scene.commit(execute=True):
        services.accept(match, actor=world.partner_editor)
    # Accepted: the requester's people and the coordinator.
    assert {message.to[0] for message in mail.outbox} == {
        world.focal_point.email,
        world.authorised_user.email,
        world.helpdesk_agent.email,
    }
    assert "/ar/matchmaking/matches/" in _to(world.authorised_user.email)[0].body
    assert "/es/matchmaking/matches/" in _to(world.helpdesk_agent.email)[0].body
    assert "/en/matchmaking/matches/" in _to(world.focal_point.email)[0].body


def test_agreement_and_cancellation_reach_both_sides(scene: Scene) -> None:
    world = scene.world
    match = confirmed(world, scene.need, scene.offer)
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.agree(match, actor=world.helpdesk_agent, details=cooperation_details(world))
    both = {world.partner_editor.email, world.focal_point.email, world.authorised_user.email}
    assert both <= {message.to[0] for message in mail.outbox}
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.cancel(match, actor=world.authorised_user, reason="The ministry changed its priorities.")
    assert both <= {message.to[0] for message in mail.outbox}
    assert "The ministry changed its priorities." in _to(world.partner_editor.email)[0].body


def test_a_decline_tells_the_requester_and_the_coordinator_why(scene: Scene) -> None:
    world = scene.world
    match = proposed(world, scene.need, scene.offer)
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.decline(match, actor=world.partner_editor, reason="Our trainers are booked this year.")
    assert {message.to[0] for message in mail.outbox} == {
        world.focal_point.email,
        world.authorised_user.email,
        world.helpdesk_agent.email,
    }
    assert "Our trainers are booked this year." in _to(world.authorised_user.email)[0].body
