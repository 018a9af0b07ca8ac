"""An agreed match becomes a cooperation with its parties and contributions (totals per
currency); bad amounts and currencies are refused with nothing saved; the outcome report closes
the need, and each side rates its own satisfaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import (
    Contribution,
    Cooperation,
    CooperationParty,
    Match,
    MatchState,
    Outcome,
)
from clearinghouse.matchmaking.tests.conftest import Scene
from clearinghouse.matchmaking.tests.steps import confirmed, cooperation_details, in_progress
from clearinghouse.needs.models import NeedStatus


def test_agreeing_creates_the_cooperation_with_its_parties_and_contributions(scene: Scene) -> None:
    world = scene.world
    match = confirmed(world, scene.need, scene.offer)
    cooperation = services.agree(match, actor=world.partner_editor, details=cooperation_details(world))
    parties = {(party.role, party.display_name()) for party in cooperation.parties.all()}
    assert parties == {
        ("requester", "Kenya"),
        ("provider", "Nature Kenya"),
        ("other", "Kenya Plant Health Inspectorate Service"),
    }
    assert cooperation.contributions.count() == 3
    assert cooperation.totals() == {
        "KES": {"financial": Decimal("500000.00")},
        "USD": {"financial": Decimal("12000.00"), "in_kind": Decimal("8000.50")},
    }
    assert Match.objects.get(pk=match.pk).state == MatchState.AGREED


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        (Decimal("-1"), "USD", "cannot be negative"),
        (Decimal("100"), "XYZ", "not an ISO 4217 currency code"),
        (Decimal("100"), "usd1", "not an ISO 4217 currency code"),
    ],
)
def test_a_bad_contribution_is_refused_and_nothing_is_saved(
    scene: Scene, amount: Decimal, currency: str, message: str
) -> None:
    world = scene.world
    match = confirmed(world, scene.need, scene.offer)
    details = cooperation_details(
        world,
        contributions=[
            services.ContributionInput(world.kenyan_ngo, Decimal("10"), "EUR"),
            services.ContributionInput(world.kenya, amount, currency),
        ],
    )
    with pytest.raises(ValidationError) as refused:
        services.agree(match, actor=world.helpdesk_agent, details=details)
    assert message in " ".join(refused.value.messages)
    assert not Cooperation.objects.exists()
    assert not Contribution.objects.exists() and not CooperationParty.objects.exists()
    assert Match.objects.get(pk=match.pk).state == MatchState.CONFIRMED
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.IN_MATCHMAKING


def test_a_cooperation_cannot_end_before_it_starts(scene: Scene) -> None:
    from datetime import date

    match = confirmed(scene.world, scene.need, scene.offer)
    with pytest.raises(ValidationError):
        services.agree(
            match,
            actor=scene.world.helpdesk_agent,
            details=cooperation_details(scene.world, start_date=date(2027, 1, 1), end_date=date(2026, 1, 1)),
        )
    assert not Cooperation.objects.exists()


def test_a_stranger_cannot_agree(scene: Scene) -> None:
    match = confirmed(scene.world, scene.need, scene.offer)
    with pytest.raises(PermissionDenied):
        services.agree(match, actor=scene.world.other_focal_point, details=cooperation_details(scene.world))


def test_the_outcome_closes_the_need_and_each_side_rates_itself(scene: Scene) -> None:
    world = scene.world
    match = in_progress(world, scene.need, scene.offer)
    outcome = services.complete(
        match,
        actor=world.partner_editor,
        results="25 trainers trained; a field guide printed in 2,000 copies.",
        lessons="Start the translation of the guide earlier.",
        language="en",
        satisfaction=4,
    )
    assert (outcome.provider_satisfaction, outcome.provider_rated_by) == (4, world.partner_editor)
    assert outcome.requester_satisfaction is None
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.ADDRESSED
    services.rate(match, actor=world.authorised_user, satisfaction=5)
    outcome.refresh_from_db()
    assert (outcome.requester_satisfaction, outcome.requester_rated_by) == (5, world.authorised_user)
    # The provider's rating is still the provider's own.
    assert outcome.provider_satisfaction == 4


def test_the_help_desk_reports_but_does_not_rate_for_a_side(scene: Scene) -> None:
    world = scene.world
    match = in_progress(world, scene.need, scene.offer)
    with pytest.raises(PermissionDenied):
        services.complete(match, actor=world.helpdesk_agent, results="Done.", language="en", satisfaction=5)
    assert not Outcome.objects.exists()
    services.complete(match, actor=world.helpdesk_agent, results="Done.", language="en")
    with pytest.raises(PermissionDenied):
        services.rate(match, actor=world.helpdesk_agent, satisfaction=3)


def test_an_outcome_needs_results_and_a_satisfaction_from_one_to_five(scene: Scene) -> None:
    world = scene.world
    match = in_progress(world, scene.need, scene.offer)
    with pytest.raises(ValidationError):
        services.complete(match, actor=world.partner_editor, results=" ", language="en")
    with pytest.raises(ValidationError):
        services.complete(match, actor=world.partner_editor, results="Done.", language="en", satisfaction=6)
    assert Match.objects.get(pk=match.pk).state == MatchState.IN_PROGRESS
    assert not Outcome.objects.exists()
