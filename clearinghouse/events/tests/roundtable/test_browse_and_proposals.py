"""Who sees whom (consent to be listed; organisers see everyone), the filters, the "suggested for
you" order from the matcher, and the organiser's proposals from its suggestions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from clearinghouse.events import roundtables
from clearinghouse.events.models import MeetingPriority, RequestStatus, Side
from clearinghouse.events.tests.roundtable.conftest import Scene, register
from clearinghouse.matchmaking.tests.conftest import publish_support
from clearinghouse.support.models import Opportunity
from clearinghouse.support.tests.factories import terms


def names(profiles: list[roundtables.Profile]) -> list[str]:
    return [profile.registration.name for profile in profiles]


def test_participants_see_the_others_who_consented_and_organisers_see_everyone(scene: Scene) -> None:
    scene.other_seeker.listed = False
    scene.other_seeker.save()
    seen = roundtables.browse(scene.event, scene.world.partner_editor)
    assert names(seen) == ["Otieno Odhiambo"]
    assert [record.identifier for record in seen[0].items] == [scene.need.identifier]
    assert set(names(roundtables.browse(scene.event, scene.world.secretariat))) == {
        "Otieno Odhiambo",
        "Akinyi Njeri",
        "Neema Mushi",
    }


def test_people_outside_the_round_table_see_nobody(scene: Scene) -> None:
    for person in (scene.world.learner, scene.world.outsider):
        with pytest.raises(PermissionDenied):
            roundtables.browse(scene.event, person)


def test_filters_by_side_country_and_subject(scene: Scene) -> None:
    world = scene.world
    organiser = world.secretariat
    assert names(
        roundtables.browse(scene.event, organiser, roundtables.BrowseFilters(side=Side.PROVIDER))
    ) == ["Akinyi Njeri"]
    assert names(roundtables.browse(scene.event, organiser, roundtables.BrowseFilters(country="tz"))) == [
        "Neema Mushi"
    ]
    by_subject = roundtables.browse(
        scene.event, organiser, roundtables.BrowseFilters(term="SUBJ-INVASIVE-ALIEN-SPECIES")
    )
    assert set(names(by_subject)) == {"Otieno Odhiambo", "Akinyi Njeri"}
    assert names(
        roundtables.browse(scene.event, organiser, roundtables.BrowseFilters(term="GBF-T6", side="seeker"))
    ) == ["Otieno Odhiambo"]


def test_a_seeker_sees_first_the_providers_whose_support_is_suggested_for_their_needs(scene: Scene) -> None:
    world = scene.world
    # A second provider, listed first by name, whose opportunity is about something else.
    late = register(scene.event, world.iplc_representative, side=Side.PROVIDER, country=world.kenya)
    late.name = "Aaron Ambani"
    late.save()
    with scene.commit(execute=True):
        grant = publish_support(
            world,
            scene.commit,
            Opportunity,
            title="Grants for marine spatial planning",
            support_types=terms("funding"),
            subjects=[],
            gbf_targets=[],
        )
    late.items.create(identifier=grant.identifier)
    seen = roundtables.browse(scene.event, world.authorised_user)
    assert names(seen)[0] == "Akinyi Njeri" and seen[0].suggested is not None
    # And the other way: the provider sees the seeker whose need its offer serves first.
    assert names(roundtables.browse(scene.event, world.partner_editor))[0] == "Otieno Odhiambo"


def test_the_organiser_sees_suggestions_between_seekers_and_providers_and_proposes(scene: Scene) -> None:
    world = scene.world
    [proposal] = roundtables.proposals(scene.event)
    assert (proposal.seeker, proposal.need, proposal.provider, proposal.support) == (
        scene.seeker,
        scene.need,
        scene.provider,
        scene.offer,
    )
    assert proposal.band in {"good", "fair", "weak"} and proposal.request is None
    with scene.commit(execute=True):
        request = roundtables.propose_meeting(
            scene.event,
            scene.seeker,
            scene.provider,
            actor=world.secretariat,
            priority=MeetingPriority.MUST_MEET,
            about=scene.need.identifier,
        )
    assert (request.requester, request.invitee, request.proposed_by) == (
        scene.seeker,
        scene.provider,
        world.secretariat,
    )
    # The provider is asked, the seeker told; the provider answers like any request.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.partner_editor.email, world.authorised_user.email]
    )
    assert roundtables.proposals(scene.event)[0].request == request
    roundtables.answer(request, actor=world.partner_editor, accept=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_only_organisers_propose_and_the_request_rules_hold(scene: Scene) -> None:
    world = scene.world
    with pytest.raises(PermissionDenied):
        roundtables.propose_meeting(
            scene.event, scene.seeker, scene.provider, actor=world.authorised_user, priority=2
        )
    roundtables.request_meeting(scene.event, scene.seeker, actor=world.partner_editor, priority=2)
    with pytest.raises(roundtables.RoundTableError, match="already an open request"):
        roundtables.propose_meeting(
            scene.event, scene.seeker, scene.provider, actor=world.secretariat, priority=2
        )
