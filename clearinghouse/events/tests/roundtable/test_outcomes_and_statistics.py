"""After a scheduled meeting each side records its outcome; a match opens the seeker's need in
matchmaking with the provider's support, where the help desk follows it; the statistics count
what the round table led to, exactly."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from clearinghouse.events import roundtables
from clearinghouse.events.models import Meeting, MeetingRequest, Outcome, RequestStatus
from clearinghouse.events.tests.roundtable.conftest import Scene, scheduled
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.matchmaking import sides
from clearinghouse.matchmaking.models import Case, CaseState, Match, MatchEvent, MatchState
from clearinghouse.matchmaking.tests.steps import cooperation_details


def met(scene: Scene, *, started: bool = True) -> Meeting:
    """The seeker asked the provider, who accepted; the schedule placed it in a slot."""
    request = roundtables.request_meeting(
        scene.event, scene.provider, actor=scene.world.authorised_user, priority=3
    )
    roundtables.answer(request, actor=scene.world.partner_editor, accept=True)
    start = timezone.now() + (timedelta(minutes=-30) if started else timedelta(days=1))
    return scheduled(request, start)


def test_the_outcome_is_refused_before_the_slot_starts(scene: Scene) -> None:
    meeting = met(scene, started=False)
    with pytest.raises(roundtables.RoundTableError, match="once the meeting has started"):
        roundtables.record_outcome(meeting, actor=scene.world.authorised_user, outcome=Outcome.FOLLOW_UP)
    meeting.refresh_from_db()
    assert meeting.requester_outcome == ""


def test_only_the_two_who_met_record_it_and_with_a_known_outcome(scene: Scene) -> None:
    meeting = met(scene)
    with pytest.raises(PermissionDenied):
        roundtables.record_outcome(meeting, actor=scene.world.other_focal_point, outcome=Outcome.NOTHING)
    with pytest.raises(roundtables.RoundTableError, match="how the meeting went"):
        roundtables.record_outcome(meeting, actor=scene.world.authorised_user, outcome="great")


def test_each_side_records_its_own_outcome(scene: Scene) -> None:
    meeting = met(scene)
    roundtables.record_outcome(meeting, actor=scene.world.authorised_user, outcome=Outcome.FOLLOW_UP)
    roundtables.record_outcome(meeting, actor=scene.world.partner_editor, outcome=Outcome.NOTHING)
    meeting.refresh_from_db()
    assert (meeting.requester_outcome, meeting.invitee_outcome, meeting.outcome) == (
        "follow_up",
        "nothing",
        "follow_up",
    )
    assert not Case.objects.exists()


def test_a_match_opens_a_case_and_a_proposed_match_the_help_desk_follows(
    scene: Scene, client: Client
) -> None:
    world = scene.world
    meeting = met(scene)
    recorded = roundtables.record_outcome(meeting, actor=world.authorised_user, outcome=Outcome.MATCH)
    assert recorded.notice == ""
    meeting.refresh_from_db()
    match = Match.objects.get()
    assert meeting.match == match
    assert (match.case.need, match.support_identifier, match.state) == (
        scene.need,
        scene.offer.identifier,
        "proposed",
    )
    assert match.case.state == CaseState.IN_MATCHMAKING
    # It says where it came from.
    assert scene.event.identifier in match.message
    assert MatchEvent.objects.filter(
        match=match, state=MatchState.SUGGESTED, note__contains="round table"
    ).exists()
    # The help desk sees it like any case; the provider answers it like any proposal.
    assert (
        sides.is_coordinator(world.helpdesk_agent)
        and Case.objects.filter(state__in=["in_matchmaking"]).count() == 1
    )
    assert "accept" in sides.actions_for(world.partner_editor, match)


def test_the_providers_match_accepts_it_and_the_requester_confirms_in_matchmaking(scene: Scene) -> None:
    world = scene.world
    meeting = met(scene)
    roundtables.record_outcome(meeting, actor=world.authorised_user, outcome=Outcome.MATCH)
    roundtables.record_outcome(meeting, actor=world.partner_editor, outcome=Outcome.MATCH)
    match = Match.objects.get()
    assert match.state == MatchState.ACCEPTED
    assert "confirm" in sides.actions_for(world.authorised_user, match)


def test_the_provider_saying_match_first_opens_it_accepted(scene: Scene) -> None:
    meeting = met(scene)
    roundtables.record_outcome(meeting, actor=scene.world.partner_editor, outcome=Outcome.MATCH)
    assert Match.objects.get().state == MatchState.ACCEPTED


def test_a_seeker_who_brought_no_need_is_told_to_register_it(scene: Scene) -> None:
    scene.seeker.items.all().delete()
    meeting = met(scene)
    recorded = roundtables.record_outcome(meeting, actor=scene.world.authorised_user, outcome=Outcome.MATCH)
    assert "registers the need" in recorded.notice
    meeting.refresh_from_db()
    assert meeting.requester_outcome == Outcome.MATCH and meeting.match is None
    assert not Case.objects.exists()


def test_a_match_that_matchmaking_refuses_keeps_the_outcome_and_says_why(scene: Scene) -> None:
    world = scene.world
    case = matchmaking.open_case(scene.need, actor=world.helpdesk_agent)
    matchmaking.answer_directly(case, actor=world.helpdesk_agent, text="See the guide.", language="en")
    meeting = met(scene)
    recorded = roundtables.record_outcome(meeting, actor=world.authorised_user, outcome=Outcome.MATCH)
    assert "could not be opened in matchmaking" in recorded.notice
    meeting.refresh_from_db()
    assert meeting.requester_outcome == Outcome.MATCH and not Match.objects.exists()


def test_statistics_count_what_the_round_table_led_to(scene: Scene) -> None:
    world = scene.world
    meeting = met(scene)  # requested, accepted, scheduled
    other = roundtables.request_meeting(
        scene.event, scene.other_seeker, actor=world.partner_editor, priority=1
    )
    roundtables.answer(other, actor=world.other_focal_point, accept=False)  # declined
    lapsed = roundtables.request_meeting(scene.event, scene.seeker, actor=world.other_focal_point, priority=2)
    MeetingRequest.objects.filter(pk=lapsed.pk).update(status=RequestStatus.EXPIRED)
    roundtables.propose_meeting(
        scene.event, scene.other_seeker, scene.provider, actor=world.secretariat, priority=2
    )
    roundtables.record_outcome(meeting, actor=world.authorised_user, outcome=Outcome.MATCH)
    roundtables.record_outcome(meeting, actor=world.partner_editor, outcome=Outcome.MATCH)
    match = Match.objects.get()
    match = matchmaking.confirm(match, actor=world.authorised_user)
    matchmaking.agree(match, actor=world.helpdesk_agent, details=cooperation_details(world))
    figures = roundtables.statistics(scene.event)
    assert (figures.requested, figures.accepted, figures.declined, figures.expired, figures.pending) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert (figures.proposed_by_organisers, figures.scheduled, figures.held) == (1, 1, 1)
    assert (figures.follow_up, figures.match_outcomes, figures.matches, figures.partnerships) == (0, 1, 1, 1)
    # The contributions of cooperation_details: 12,000 + 8,000.50 USD and 500,000 KES.
    assert figures.cofunding == {"KES": Decimal("500000"), "USD": Decimal("20000.50")}
    # Publicly, counts under 5 are not shown.
    assert figures.public()["requested"] is None and figures.public()["follow_up"] == 0


def test_a_meeting_counts_as_held_when_marked_held_or_when_an_outcome_is_recorded(scene: Scene) -> None:
    meeting = met(scene)
    assert roundtables.statistics(scene.event).held == 0
    Meeting.objects.filter(pk=meeting.pk).update(held=True)
    assert roundtables.statistics(scene.event).held == 1
    Meeting.objects.filter(pk=meeting.pk).update(held=None, invitee_outcome=Outcome.NOTHING)
    figures = roundtables.statistics(scene.event)
    assert (figures.held, figures.follow_up, figures.match_outcomes) == (1, 0, 0)
