"""Asking for a 1:1 meeting, answering, withdrawing and the expiry of unanswered requests: each
rule with its message, nothing saved when refused, everyone e-mailed in their language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from clearinghouse.events import roundtable_tasks, roundtables
from clearinghouse.events.models import (
    MeetingPriority,
    MeetingRequest,
    RegistrationStatus,
    RequestStatus,
    Side,
)
from clearinghouse.events.tests.roundtable.conftest import Scene, register, round_table, scheduled


def ask(scene: Scene, **values: object) -> MeetingRequest:
    arguments: dict[str, object] = {
        "actor": scene.world.authorised_user,
        "priority": MeetingPriority.MUST_MEET,
    } | values
    return roundtables.request_meeting(scene.event, scene.provider, **arguments)  # type: ignore[arg-type]


def test_a_participant_asks_another_and_the_invitee_is_emailed_in_their_language(scene: Scene) -> None:
    scene.world.partner_editor.preferred_language = "fr"
    scene.world.partner_editor.save()
    with scene.commit(execute=True):
        request = ask(scene, message="Could your training come to Mombasa?", about=scene.offer.identifier)
    assert request.status == RequestStatus.PENDING and request.expires_at == scene.event.starts_at
    [message] = mail.outbox
    assert message.to == [scene.world.partner_editor.email]
    assert "vous demande une rencontre" in message.subject
    assert "Could your training come to Mombasa?" in message.body
    assert f"/fr/events/{scene.event.identifier}/meetings/#request-{request.pk}" in message.body


def test_not_a_participant_cannot_ask(scene: Scene) -> None:
    with pytest.raises(roundtables.RoundTableError, match="Only confirmed participants"):
        ask(scene, actor=scene.world.learner)
    assert not MeetingRequest.objects.exists()


def test_the_invitee_must_be_a_confirmed_participant_of_this_round_table(scene: Scene) -> None:
    scene.provider.status = RegistrationStatus.CANCELLED
    scene.provider.save()
    with pytest.raises(roundtables.RoundTableError, match="not a confirmed participant"):
        ask(scene)
    elsewhere = round_table(scene.world, identifier="CB-EVENT-XX-000002")
    stranger = register(elsewhere, scene.world.focal_point, side=Side.PROVIDER)
    with pytest.raises(roundtables.RoundTableError, match="not a confirmed participant"):
        roundtables.request_meeting(scene.event, stranger, actor=scene.world.authorised_user, priority=2)
    assert not MeetingRequest.objects.exists()


def test_nobody_asks_themselves(scene: Scene) -> None:
    with pytest.raises(roundtables.RoundTableError, match="cannot ask yourself"):
        roundtables.request_meeting(scene.event, scene.seeker, actor=scene.world.authorised_user, priority=2)


def test_a_second_open_request_between_the_same_two_is_refused_either_way(scene: Scene) -> None:
    ask(scene)
    with pytest.raises(roundtables.RoundTableError, match="already an open request"):
        ask(scene)
    with pytest.raises(roundtables.RoundTableError, match="already an open request"):
        roundtables.request_meeting(scene.event, scene.seeker, actor=scene.world.partner_editor, priority=1)
    assert MeetingRequest.objects.count() == 1


def test_a_declined_request_may_be_asked_again(scene: Scene) -> None:
    roundtables.answer(ask(scene), actor=scene.world.partner_editor, accept=False)
    assert ask(scene).status == RequestStatus.PENDING


def test_requests_are_refused_once_closed(scene: Scene) -> None:
    scene.event.meeting_requests_close_at = timezone.now() - timedelta(minutes=1)
    scene.event.save()
    with pytest.raises(roundtables.RoundTableError, match="closed"):
        ask(scene)
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"priority": 7}, "Choose a priority"),
        ({"message": "x" * 2001}, "under 2000 characters"),
        ({"about": "CB-NEED-TZ-000001"}, "published item either of you brings"),
    ],
)
def test_bad_input_is_refused_with_a_message(scene: Scene, values: dict[str, object], message: str) -> None:
    with pytest.raises(roundtables.RoundTableError, match=message):
        ask(scene, **values)
    assert not MeetingRequest.objects.exists()


def test_a_person_has_at_most_the_cap_of_requests_open(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roundtables, "REQUEST_CAP", 1)
    ask(scene)
    with pytest.raises(roundtables.RoundTableError, match="already have 1 meeting request open"):
        roundtables.request_meeting(
            scene.event, scene.other_seeker, actor=scene.world.authorised_user, priority=1
        )
    assert MeetingRequest.objects.count() == 1


def test_the_invitee_accepts_and_the_requester_hears_it_with_the_note(scene: Scene) -> None:
    request = ask(scene)
    with scene.commit(execute=True):
        roundtables.answer(
            request, actor=scene.world.partner_editor, accept=True, note="Happy to, bring the maps."
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.answered_at is not None
    [message] = mail.outbox
    assert message.to == [scene.world.authorised_user.email]
    assert "accepted" in message.subject and "bring the maps" in message.body


def test_the_invitee_declines(scene: Scene) -> None:
    request = roundtables.answer(ask(scene), actor=scene.world.partner_editor, accept=False)
    assert request.status == RequestStatus.DECLINED


def test_only_the_invitee_answers_and_only_once(scene: Scene) -> None:
    request = ask(scene)
    with pytest.raises(PermissionDenied):
        roundtables.answer(request, actor=scene.world.authorised_user, accept=True)
    roundtables.answer(request, actor=scene.world.partner_editor, accept=True)
    with pytest.raises(roundtables.RoundTableError, match="accepted: it cannot be answered"):
        roundtables.answer(request, actor=scene.world.partner_editor, accept=False)


def test_the_requester_withdraws_until_the_meeting_is_scheduled(scene: Scene) -> None:
    request = ask(scene)
    with pytest.raises(PermissionDenied):
        roundtables.withdraw(request, actor=scene.world.partner_editor)
    with scene.commit(execute=True):
        assert (
            roundtables.withdraw(request, actor=scene.world.authorised_user).status == RequestStatus.WITHDRAWN
        )
    assert mail.outbox[0].to == [scene.world.partner_editor.email]
    again = ask(scene)
    roundtables.answer(again, actor=scene.world.partner_editor, accept=True)
    scheduled(again, scene.event.starts_at)
    with pytest.raises(roundtables.RoundTableError, match="not yet scheduled"):
        roundtables.withdraw(again, actor=scene.world.authorised_user)


def test_the_job_expires_pending_requests_when_requests_close_and_tells_the_requester(scene: Scene) -> None:
    pending = ask(scene)
    accepted = roundtables.request_meeting(
        scene.event, scene.other_seeker, actor=scene.world.partner_editor, priority=1
    )
    roundtables.answer(accepted, actor=scene.world.other_focal_point, accept=True)
    assert roundtable_tasks.expire_meeting_requests.call_local() == 0
    scene.event.meeting_requests_close_at = timezone.now() - timedelta(seconds=1)
    scene.event.save()
    with scene.commit(execute=True):
        assert roundtable_tasks.expire_meeting_requests.call_local() == 1
    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert pending.status == RequestStatus.EXPIRED and accepted.status == RequestStatus.ACCEPTED
    [message] = mail.outbox
    assert message.to == [scene.world.authorised_user.email] and "expired" in message.subject
    # Run again after a crash: nothing more happens.
    assert roundtables.expire_requests() == 0


def test_answering_after_requests_closed_finds_the_request_expired(scene: Scene) -> None:
    request = ask(scene)
    later = scene.event.starts_at + timedelta(minutes=1)
    answered = roundtables.answer(request, actor=scene.world.partner_editor, accept=True, now=later)
    assert answered.status == RequestStatus.EXPIRED


def test_a_page_expires_what_is_due_before_showing_it(scene: Scene) -> None:
    request = ask(scene)
    scene.event.meeting_requests_close_at = timezone.now() - timedelta(seconds=1)
    scene.event.save()
    assert roundtables.expire_due(scene.event) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
