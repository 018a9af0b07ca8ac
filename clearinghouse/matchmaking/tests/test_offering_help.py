""" "I can help": a provider, an expert or a partner puts one of its published support records
forward for a published need or request. The match starts as offered, the help desk and the
requester are told in their languages and see it, and every proposal that cannot be made is
refused with a clear, translated reason."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from clearinghouse.matchmaking import services, sides
from clearinghouse.matchmaking.models import Case, CaseState, Match, MatchState
from clearinghouse.matchmaking.tests.conftest import Scene, publish_request, publish_support
from clearinghouse.needs import services as need_services
from clearinghouse.needs.models import NeedStatus
from clearinghouse.publishing import workflow
from clearinghouse.support.models import Expert, Offer
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

MESSAGE = "We ran this training for the Uganda Revenue Authority last year."


def _offer(scene: Scene) -> Match:
    with scene.commit(execute=True):
        return services.offer_help(scene.need, scene.offer, actor=scene.world.partner_editor, message=MESSAGE)


def test_an_offer_of_help_starts_a_match_waiting_for_the_requester_and_the_help_desk(scene: Scene) -> None:
    match = _offer(scene)
    assert match.state == MatchState.OFFERED
    assert match.offered_by_provider
    assert match.message == MESSAGE
    assert sides.waiting_on(match) == "requester_and_coordinator"
    # The need had no case: one is opened for it, in matchmaking, and the need follows.
    case = Case.objects.get(need=scene.need)
    assert case.state == CaseState.IN_MATCHMAKING
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.IN_MATCHMAKING
    assert [(event.state, event.by, event.note) for event in match.events.all()] == [
        (MatchState.OFFERED, scene.world.partner_editor, MESSAGE)
    ]


def test_the_requester_confirms_an_offer_without_a_step_by_the_provider(scene: Scene) -> None:
    world = scene.world
    match = _offer(scene)
    assert "confirm" in sides.actions_for(world.authorised_user, match)
    # The provider cannot confirm for the requester; it may withdraw its offer.
    assert sides.actions_for(world.partner_editor, match) == ["cancel", "not_relevant"]
    with pytest.raises(services.NotAllowedError):
        services.confirm(match, actor=world.partner_editor)
    match = services.confirm(match, actor=world.authorised_user)
    assert match.state == MatchState.CONFIRMED
    assert sides.contact_shared(match)


def test_the_help_desk_may_cancel_an_offer_that_does_not_fit(scene: Scene) -> None:
    match = _offer(scene)
    assert "cancel" in sides.actions_for(scene.world.helpdesk_agent, match)
    services.cancel(match, actor=scene.world.helpdesk_agent, reason="Kenya asked for a national trainer.")
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.IN_MATCHMAKING  # the case stays in matchmaking


def test_the_requester_and_the_help_desk_are_told_in_their_languages(scene: Scene) -> None:
    world = scene.world
    world.authorised_user.preferred_language = "ar"
    world.authorised_user.save()
    mail.outbox.clear()
    _offer(scene)
    recipients = {message.to[0]: message for message in mail.outbox}
    # No agent has the case yet: every help-desk agent is told; the provider is not.
    assert set(recipients) == {
        world.focal_point.email,
        world.authorised_user.email,
        world.helpdesk_agent.email,
    }
    assert MESSAGE in recipients[world.focal_point.email].body
    assert "Help offered for" in recipients[world.focal_point.email].subject
    assert "/ar/matchmaking/matches/" in recipients[world.authorised_user.email].body
    assert "/es/matchmaking/matches/" in recipients[world.helpdesk_agent.email].body
    # Each in their own language: the agent reads Spanish.
    assert recipients[world.helpdesk_agent.email].subject == f"Ayuda ofrecida para {scene.need.identifier}"
    assert "puede cancelarlo si no es adecuado" in recipients[world.helpdesk_agent.email].body


def test_an_agent_who_has_the_case_is_told_instead_of_the_whole_help_desk(scene: Scene) -> None:
    world = scene.world
    case = services.open_case(scene.need, actor=world.helpdesk_agent)
    assert case.assigned_to == world.helpdesk_agent
    assert sides.coordinators(_offer(scene)) == [world.helpdesk_agent]


def test_an_expert_offers_their_own_profile(scene: Scene) -> None:
    world = scene.world
    with scene.commit(execute=True):
        expert = published(
            Expert,
            world,
            sample(Expert, world),
            owner=world.tanzania,
            author=world.other_focal_point,
            reviewer=world.secretariat,
        )
    Expert.objects.filter(pk=expert.pk).update(expert_user=world.learner)
    expert.refresh_from_db()
    assert sides.support_records_of(world.learner, scene.need) == [expert]
    # The Party's focal point no longer answers for an expert with an account.
    assert expert not in sides.support_records_of(world.other_focal_point, scene.need)
    match = services.offer_help(scene.need, expert, actor=world.learner, message=MESSAGE)
    assert match.support_expert == world.learner
    assert match in Match.objects.filter(sides.matches_of(world.learner))


def test_an_offer_on_a_request_goes_to_its_case(scene: Scene) -> None:
    request = publish_request(scene.world, scene.commit, [scene.need])
    match = services.offer_help(request, scene.offer, actor=scene.world.partner_editor, message=MESSAGE)
    assert match.case == Case.objects.get(request=request)


def test_the_same_support_cannot_be_offered_twice(scene: Scene) -> None:
    _offer(scene)
    with pytest.raises(services.MatchmakingError, match="already proposed"):
        services.offer_help(scene.need, scene.offer, actor=scene.world.partner_editor, message=MESSAGE)


def test_someone_elses_support_cannot_be_offered(scene: Scene) -> None:
    with pytest.raises(services.NotAllowedError, match="only propose support that you act for"):
        services.offer_help(scene.need, scene.offer, actor=scene.world.other_focal_point, message=MESSAGE)


def test_unpublished_support_cannot_be_offered(scene: Scene) -> None:
    workflow.archive(scene.offer, actor=scene.world.partner_editor)
    scene.offer.refresh_from_db()
    with pytest.raises(services.MatchmakingError, match="Only published"):
        services.offer_help(scene.need, scene.offer, actor=scene.world.partner_editor, message=MESSAGE)


def test_a_closed_need_takes_no_offers(scene: Scene) -> None:
    need_services.change_status(scene.need, actor=scene.world.focal_point, status=NeedStatus.WITHDRAWN)
    scene.need.refresh_from_db()
    assert not services.takes_offers(scene.need)
    with pytest.raises(services.MatchmakingError, match="no longer takes offers"):
        services.offer_help(scene.need, scene.offer, actor=scene.world.partner_editor, message=MESSAGE)


def test_the_requester_cannot_offer_its_own_support(scene: Scene) -> None:
    world = scene.world
    own = publish_support(world, scene.commit, Offer)
    Offer.objects.filter(pk=own.pk).update(owner_organisation=None, owner_country=world.kenya)
    own.refresh_from_db()
    assert own not in sides.support_records_of(world.authorised_user, scene.need)
    with pytest.raises(services.MatchmakingError, match="belongs to the requester"):
        services.offer_help(scene.need, own, actor=world.authorised_user, message=MESSAGE)


def test_an_offer_needs_a_message(scene: Scene) -> None:
    with pytest.raises(services.MatchmakingError, match="Say how you can help"):
        services.offer_help(scene.need, scene.offer, actor=scene.world.partner_editor, message="  ")


# --- pages ------------------------------------------------------------------------------------


def test_the_button_shows_only_to_people_who_may_use_it(scene: Scene, client: Client) -> None:
    url = scene.need.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Sign in to offer help" in page
    assert f"/matchmaking/offer/{scene.need.identifier}/" in page
    for person in ("learner", "helpdesk_agent", "authorised_user"):
        client.force_login(getattr(scene.world, person))
        assert "I can help" not in client.get(url).content.decode(), person
    client.force_login(scene.world.partner_editor)
    assert "I can help" in client.get(url).content.decode()
    with translation.override("fr"):
        assert "Je peux aider" in client.get("/fr" + url[3:]).content.decode()


def test_a_withdrawn_need_shows_no_button(scene: Scene, client: Client) -> None:
    need_services.change_status(scene.need, actor=scene.world.focal_point, status=NeedStatus.WITHDRAWN)
    client.force_login(scene.world.partner_editor)
    assert "I can help" not in client.get(scene.need.get_absolute_url()).content.decode()
    client.logout()
    assert "Sign in to offer help" not in client.get(scene.need.get_absolute_url()).content.decode()


def test_offering_help_through_the_page(scene: Scene, client: Client) -> None:
    world = scene.world
    client.force_login(world.partner_editor)
    url = f"/en/matchmaking/offer/{scene.need.identifier}/"
    page = client.get(url).content.decode()
    assert scene.offer.identifier in page
    response = client.post(url, {"support": scene.offer.identifier, "message": MESSAGE})
    match = Match.objects.get()
    assert response.status_code == 302
    assert response["Location"] == match.get_absolute_url()
    page = client.get(match.get_absolute_url()).content.decode()
    assert "Offered by the provider" in page
    assert "The provider's message" in page
    # The requester sees it in "My matches" and can confirm it; the help desk in its console.
    client.force_login(world.authorised_user)
    mine = client.get("/en/matchmaking/mine/").content.decode()
    assert "Offered by the provider" in mine and "confirm" in mine
    client.force_login(world.helpdesk_agent)
    console = client.get("/en/matchmaking/").content.decode()
    assert scene.need.identifier in console and "1 offer of help from a provider" in console


def test_the_page_shows_the_services_reasons_in_the_readers_language(scene: Scene, client: Client) -> None:
    world = scene.world
    with scene.commit(execute=True):
        tanzanian = published(
            Offer,
            world,
            sample(Offer, world),
            owner=world.tanzania,
            author=world.other_focal_point,
            reviewer=world.secretariat,
        )
    client.force_login(world.partner_editor)
    url = f"/fr/matchmaking/offer/{scene.need.identifier}/"
    response = client.post(url, {"support": tanzanian.identifier, "message": MESSAGE})
    assert response.status_code == 400
    assert "Vous ne pouvez proposer que" in response.content.decode()
    assert not Match.objects.exists()
    response = client.post(url, {"support": scene.offer.identifier, "message": ""})
    assert response.status_code == 400
    _offer(scene)
    response = client.post(url, {"support": scene.offer.identifier, "message": MESSAGE})
    assert response.status_code == 400
    assert "déjà proposé" in response.content.decode()


def test_support_already_proposed_is_shown_and_not_offered_again(scene: Scene, client: Client) -> None:
    match = _offer(scene)
    client.force_login(scene.world.partner_editor)
    page = client.get(f"/en/matchmaking/offer/{scene.need.identifier}/").content.decode()
    assert "Already proposed for it" in page
    assert match.get_absolute_url() in page
    assert f'value="{scene.offer.identifier}"' not in page  # not among the choices
    assert "Offer help</button>" not in page


def test_a_person_without_support_to_propose_is_told_how_to_get_some(scene: Scene, client: Client) -> None:
    client.force_login(scene.world.learner)
    page = client.get(f"/en/matchmaking/offer/{scene.need.identifier}/").content.decode()
    assert "You have no published support that you could propose" in page
    assert "Offer help</button>" not in page
