"""A match from shortlist to completion, each step taken only by the side whose step it is,
dated and attributed; the need's status following along, with its status changes recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Case, CaseState, Match, MatchEvent, MatchState
from clearinghouse.matchmaking.tests.conftest import Scene, publish_need, publish_support
from clearinghouse.matchmaking.tests.steps import (
    agreed,
    case_for,
    confirmed,
    cooperation_details,
    in_progress,
    proposed,
)
from clearinghouse.needs.models import NeedStatus, NeedStatusChange
from clearinghouse.support.models import Expert


def statuses(scene: Scene) -> list[str]:
    return list(NeedStatusChange.objects.filter(need=scene.need).values_list("status", flat=True))


def test_a_match_goes_from_shortlist_to_completion_and_the_need_follows(scene: Scene) -> None:
    world, need, offer = scene.world, scene.need, scene.offer
    match = proposed(world, need, offer)
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_MATCHMAKING
    services.accept(match, actor=world.partner_editor, note="We can run it in September.")
    services.confirm(match, actor=world.focal_point)
    services.agree(match, actor=world.authorised_user, details=cooperation_details(world))
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    services.start(match, actor=world.partner_editor)
    need.refresh_from_db()
    assert need.status == NeedStatus.SUPPORT_UNDER_WAY
    services.complete(
        match, actor=world.authorised_user, results="25 trainers trained.", language="en", satisfaction=5
    )
    need.refresh_from_db()
    assert need.status == NeedStatus.ADDRESSED
    # Every change of the need is a dated row the monitoring indicators count.
    assert statuses(scene) == ["open", "in_matchmaking", "matched", "support_under_way", "addressed"]
    # ... attributed to whoever took the match's step.
    assert NeedStatusChange.objects.get(need=need, status="matched").changed_by == world.authorised_user
    assert (
        NeedStatusChange.objects.get(need=need, status="support_under_way").changed_by == world.partner_editor
    )
    events = list(MatchEvent.objects.filter(match=match).values_list("state", "by__username"))
    assert events == [
        ("suggested", "lucia"),
        ("proposed", "lucia"),
        ("accepted", "akinyi"),
        ("confirmed", "wanjiru"),
        ("agreed", "otieno"),
        ("in_progress", "akinyi"),
        ("completed", "otieno"),
    ]
    assert all(event.at is not None for event in MatchEvent.objects.filter(match=match))
    case = Case.objects.get(need=need)
    assert case.state == CaseState.CLOSED


def test_the_requester_cannot_accept_for_the_provider(scene: Scene) -> None:
    match = proposed(scene.world, scene.need, scene.offer)
    for person in (scene.world.authorised_user, scene.world.focal_point):
        with pytest.raises(PermissionDenied):
            services.accept(match, actor=person)
        with pytest.raises(PermissionDenied):
            services.decline(match, actor=person, reason="Not for us.")
    assert Match.objects.get(pk=match.pk).state == MatchState.PROPOSED


def test_the_provider_cannot_confirm_for_the_requester(scene: Scene) -> None:
    match = services.accept(proposed(scene.world, scene.need, scene.offer), actor=scene.world.partner_editor)
    with pytest.raises(PermissionDenied):
        services.confirm(match, actor=scene.world.partner_editor)
    assert Match.objects.get(pk=match.pk).state == MatchState.ACCEPTED


def test_the_coordinators_answer_for_no_side(scene: Scene) -> None:
    """The help desk and the Secretariat coordinate; accepting and confirming stay with the sides."""
    world = scene.world
    match = proposed(world, scene.need, scene.offer)
    for person in (world.helpdesk_agent, world.secretariat):
        with pytest.raises(PermissionDenied):
            services.accept(match, actor=person)
    services.accept(match, actor=world.partner_editor)
    for person in (world.helpdesk_agent, world.secretariat):
        with pytest.raises(PermissionDenied):
            services.confirm(match, actor=person)


def test_a_stranger_can_do_nothing(scene: Scene) -> None:
    world = scene.world
    case = services.open_case(scene.need, actor=world.helpdesk_agent)
    for person in (world.outsider, world.other_focal_point, world.iplc_representative, world.learner):
        with pytest.raises(PermissionDenied):
            services.open_case(scene.need, actor=person)
        with pytest.raises(PermissionDenied):
            services.send_to_matchmaking(case, actor=person)
        with pytest.raises(PermissionDenied):
            services.shortlist(case, scene.offer, actor=person)
    match = proposed(world, scene.need, scene.offer)
    for person in (world.outsider, world.other_focal_point):
        for step in (services.accept, services.confirm, services.start):
            with pytest.raises(PermissionDenied):
                step(match, actor=person)
        with pytest.raises(PermissionDenied):
            services.cancel(match, actor=person, reason="Because.")
    assert Match.objects.get(pk=match.pk).state == MatchState.PROPOSED


def test_only_the_help_desk_proposes(scene: Scene) -> None:
    world = scene.world
    match = services.shortlist(case_for(world, scene.need), scene.offer, actor=world.helpdesk_agent)
    for person in (world.partner_editor, world.authorised_user, world.focal_point):
        with pytest.raises(PermissionDenied):
            services.propose(match, actor=person, message="Please.")
    services.propose(match, actor=world.secretariat, message="Please have a look.")
    assert Match.objects.get(pk=match.pk).state == MatchState.PROPOSED


def test_the_help_desk_can_cancel_and_a_reason_is_required(scene: Scene) -> None:
    world = scene.world
    match = proposed(world, scene.need, scene.offer)
    with pytest.raises(ValidationError) as refused:
        services.cancel(match, actor=world.helpdesk_agent, reason="  ")
    assert "Say why" in " ".join(refused.value.messages)
    assert Match.objects.get(pk=match.pk).state == MatchState.PROPOSED
    services.cancel(match, actor=world.helpdesk_agent, reason="The requester found funding elsewhere.")
    event = MatchEvent.objects.filter(match=match).last()
    assert event is not None
    assert (event.state, event.by, event.note) == (
        "cancelled",
        world.helpdesk_agent,
        "The requester found funding elsewhere.",
    )


def test_steps_out_of_order_are_refused(scene: Scene) -> None:
    world = scene.world
    match = proposed(world, scene.need, scene.offer)
    with pytest.raises(ValidationError):
        services.confirm(match, actor=world.authorised_user)
    with pytest.raises(ValidationError):
        services.start(match, actor=world.helpdesk_agent)
    services.cancel(match, actor=world.helpdesk_agent, reason="Duplicate.")
    # Cancelled is the end: nothing more happens to it.
    with pytest.raises(ValidationError):
        services.cancel(match, actor=world.helpdesk_agent, reason="Again.")
    with pytest.raises(ValidationError):
        services.accept(match, actor=world.partner_editor)


def test_a_declined_match_sends_the_need_back_when_no_other_is_live(scene: Scene) -> None:
    world = scene.world
    other_offer = publish_support(world, scene.commit, title="Identification guides for inspectors")
    first = proposed(world, scene.need, scene.offer)
    second = services.propose(
        services.shortlist(Case.objects.get(need=scene.need), other_offer, actor=world.helpdesk_agent),
        actor=world.helpdesk_agent,
        message="Another option.",
    )
    services.decline(first, actor=world.partner_editor, reason="Our trainers are booked this year.")
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.IN_MATCHMAKING
    services.accept(second, actor=world.partner_editor)
    services.confirm(second, actor=world.authorised_user)
    services.agree(second, actor=world.helpdesk_agent, details=cooperation_details(world))
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.MATCHED
    services.cancel(second, actor=world.authorised_user, reason="The ministry changed its priorities.")
    scene.need.refresh_from_db()
    # Back to matchmaking: its case is still being worked on.
    assert scene.need.status == NeedStatus.IN_MATCHMAKING
    assert statuses(scene)[-2:] == ["matched", "in_matchmaking"]
    change = NeedStatusChange.objects.filter(need=scene.need).last()
    assert change is not None and change.changed_by == world.authorised_user


def test_a_declined_match_of_a_closed_case_leaves_the_need_open(scene: Scene) -> None:
    world = scene.world
    case = services.open_case(scene.need, actor=world.helpdesk_agent)
    match = services.propose(
        services.shortlist(case, scene.offer, actor=world.helpdesk_agent),
        actor=world.helpdesk_agent,
        message="Hi.",
    )
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    services.decline(match, actor=world.partner_editor, reason="Not our field.")
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.OPEN


def test_one_live_match_per_need_and_support_record(scene: Scene) -> None:
    world = scene.world
    case = case_for(world, scene.need)
    match = services.shortlist(case, scene.offer, actor=world.helpdesk_agent)
    with pytest.raises(ValidationError):
        services.shortlist(case, scene.offer, actor=world.helpdesk_agent)
    services.cancel(match, actor=world.helpdesk_agent, reason="Shortlisted by mistake.")
    # Once the first is over, the pair may be tried again.
    services.shortlist(case, scene.offer, actor=world.helpdesk_agent)
    assert Match.objects.filter(case=case).count() == 2


def test_only_published_support_can_be_matched(scene: Scene) -> None:
    from clearinghouse.support.models import Offer
    from clearinghouse.support.tests.factories import draft
    from clearinghouse.support.tests.samples import sample

    unpublished = draft(
        Offer,
        scene.world,
        sample(Offer, scene.world),
        owner=scene.world.kenyan_ngo,
        author=scene.world.partner_editor,
    )
    with pytest.raises(ValidationError):
        services.shortlist(case_for(scene.world, scene.need), unpublished, actor=scene.world.helpdesk_agent)


def test_an_expert_answers_for_themselves(scene: Scene) -> None:
    world = scene.world
    from clearinghouse.support.tests.factories import published
    from clearinghouse.support.tests.samples import sample

    expert = published(
        Expert,
        world,
        sample(Expert, world),
        owner=world.kenyan_ngo,
        author=world.partner_editor,
        reviewer=world.focal_point,
    )
    Expert.objects.filter(pk=expert.pk).update(expert_user=world.learner)
    expert.refresh_from_db()
    match = proposed(world, scene.need, expert)
    # The organisation that registered the profile does not answer for the person.
    with pytest.raises(PermissionDenied):
        services.accept(match, actor=world.partner_editor)
    services.accept(match, actor=world.learner)
    assert Match.objects.get(pk=match.pk).state == MatchState.ACCEPTED


def test_a_request_carries_all_its_needs_along(scene: Scene) -> None:
    from clearinghouse.matchmaking.tests.conftest import publish_request

    world = scene.world
    second_need = publish_need(
        world, scene.commit, title="Field guide for border inspectors", contact_email="otieno@example.org"
    )
    request = publish_request(world, scene.commit, [scene.need, second_need])
    match = in_progress(world, request, scene.offer)
    for need in (scene.need, second_need):
        need.refresh_from_db()
        assert need.status == NeedStatus.SUPPORT_UNDER_WAY
    assert match.case.request == request


def test_agreed_and_confirmed_helpers_reach_their_states(scene: Scene) -> None:
    match = confirmed(scene.world, scene.need, scene.offer)
    assert match.state == MatchState.CONFIRMED and match.confirmed_at is not None
    other = publish_support(scene.world, scene.commit, title="Second offer")
    assert agreed(scene.world, scene.need, other).state == MatchState.AGREED
