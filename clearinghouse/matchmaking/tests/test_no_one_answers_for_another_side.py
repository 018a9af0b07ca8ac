"""No one accepts, declines or confirms a match for a side they do not act for: not the
Secretariat, even when its account is a superuser (as the demo's is), whose ``has_perm`` grants
everything. The Secretariat still coordinates: it proposes and cancels."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.accounts.models import User
from clearinghouse.accounts.permissions import holds_own
from clearinghouse.core.testing import give_second_factor
from clearinghouse.matchmaking import services, sides
from clearinghouse.matchmaking.models import Match, MatchState
from clearinghouse.matchmaking.tests.conftest import Scene
from clearinghouse.matchmaking.tests.steps import case_for, proposed


@pytest.fixture
def superuser_secretariat(scene: Scene) -> User:
    secretariat = scene.world.secretariat
    secretariat.is_superuser = secretariat.is_staff = True
    secretariat.save(update_fields=["is_superuser", "is_staff"])
    return secretariat


def _post(user: User, match: Match, action: str, **data: str) -> int:
    client = Client()
    client.force_login(user)
    response = client.post(reverse("matchmaking:match_action", args=[match.pk, action]), data)
    return response.status_code


def _state(match: Match) -> str:
    match.refresh_from_db()
    return match.state


@pytest.mark.parametrize(("action", "data"), [("accept", {"note": ""}), ("decline", {"reason": "No time."})])
def test_a_superuser_secretariat_cannot_answer_a_proposal_for_the_provider(
    scene: Scene, superuser_secretariat: User, action: str, data: dict[str, str]
) -> None:
    with scene.commit(execute=True):
        match = proposed(scene.world, scene.need, scene.offer)
    # has_perm says yes to a superuser: the side is asked by the person's own appointments.
    assert superuser_secretariat.has_perm(sides.RESPOND, scene.offer.owner)
    assert not sides.acts_for_provider(superuser_secretariat, match)
    assert action not in sides.actions_for(superuser_secretariat, match)
    assert _post(superuser_secretariat, match, action, **data) == 403
    assert _state(match) == MatchState.PROPOSED
    with pytest.raises(services.NotAllowedError):
        getattr(services, action)(match, actor=superuser_secretariat, **data)
    assert _state(match) == MatchState.PROPOSED


def test_a_superuser_secretariat_cannot_confirm_for_the_requester(
    scene: Scene, superuser_secretariat: User
) -> None:
    world = scene.world
    with scene.commit(execute=True):
        match = services.accept(proposed(world, scene.need, scene.offer), actor=world.partner_editor)
    assert not sides.acts_for_requester(superuser_secretariat, match.case)
    assert "confirm" not in sides.actions_for(superuser_secretariat, match)
    assert _post(superuser_secretariat, match, "confirm", note="") == 403
    assert _state(match) == MatchState.ACCEPTED
    with pytest.raises(services.NotAllowedError):
        services.confirm(match, actor=superuser_secretariat)
    match.refresh_from_db()
    assert match.state == MatchState.ACCEPTED and match.confirmed_at is None


def test_a_superuser_with_no_appointment_answers_for_no_one(scene: Scene) -> None:
    admin = User.objects.create_superuser("technical-admin", "admin@example.org", "admin-passphrase-2026")
    # Signed in as it must be, with a second factor: what stops it is the side rule, not that.
    give_second_factor(admin)
    with scene.commit(execute=True):
        match = proposed(scene.world, scene.need, scene.offer)
    assert not holds_own(admin, sides.RESPOND, scene.offer.owner)
    assert not holds_own(admin, sides.RESPOND, scene.need.owner)
    assert _post(admin, match, "accept", note="") in {403, 404}
    assert _state(match) == MatchState.PROPOSED


def test_the_people_of_each_side_still_answer_for_it(scene: Scene) -> None:
    world = scene.world
    with scene.commit(execute=True):
        match = proposed(world, scene.need, scene.offer)
    assert _post(world.partner_editor, match, "accept", note="") == 302
    assert _state(match) == MatchState.ACCEPTED
    assert _post(world.authorised_user, match, "confirm", note="") == 302
    assert _state(match) == MatchState.CONFIRMED


def test_a_superuser_secretariat_still_coordinates(scene: Scene, superuser_secretariat: User) -> None:
    world = scene.world
    match = services.shortlist(case_for(world, scene.need), scene.offer, actor=superuser_secretariat)
    assert sides.actions_for(superuser_secretariat, match)[:2] == ["propose", "cancel"]
    with scene.commit(execute=True):
        assert _post(superuser_secretariat, match, "propose", message="Nature Kenya fits.") == 302
    assert _state(match) == MatchState.PROPOSED
    assert "cancel" in sides.actions_for(superuser_secretariat, match)
    assert _post(superuser_secretariat, match, "cancel", reason="The need was met otherwise.") == 302
    assert _state(match) == MatchState.CANCELLED
