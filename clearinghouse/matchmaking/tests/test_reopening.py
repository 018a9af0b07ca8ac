"""An answer that did not meet the request is reopened, with a reason, by the requester's
people or the help desk: the case goes back to triage and its needs are open again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Case, CaseState, Response
from clearinghouse.matchmaking.tests.conftest import Scene, publish_request
from clearinghouse.matchmaking.tests.steps import in_progress
from clearinghouse.needs.models import NeedStatus, NeedStatusChange

REASON = "The guide covers plants only; our inspectors need insects and molluscs too."


def answered(scene: Scene) -> Case:
    request = publish_request(scene.world, scene.commit, [scene.need])
    case = Case.objects.get(request=request)
    services.assign(case, actor=scene.world.helpdesk_agent, agent=scene.world.helpdesk_agent)
    services.answer_directly(
        case, actor=scene.world.helpdesk_agent, text="See the plant pests guide.", language="en"
    )
    case.refresh_from_db()
    return case


def test_the_requester_reopens_an_answer_and_the_help_desk_answers_again(scene: Scene) -> None:
    world = scene.world
    case = answered(scene)
    mail.outbox.clear()
    with scene.commit(execute=True):
        services.reopen(case, actor=world.authorised_user, reason=f"  {REASON} ")
    case.refresh_from_db()
    scene.need.refresh_from_db()
    assert case.state == CaseState.OPEN and case.closed_at is None
    answer = case.responses.get()
    assert (answer.reopened_by, answer.reopen_reason) == (world.authorised_user, REASON)
    assert answer.reopened_at is not None
    # The need asks for help again, and its history says why.
    assert scene.need.status == NeedStatus.OPEN
    change = NeedStatusChange.objects.filter(need=scene.need).last()
    assert change is not None and change.changed_by == world.authorised_user and REASON in change.explanation
    # The help desk and the requester's other people hear of it; not the person who reopened.
    assert {message.to[0] for message in mail.outbox} == {world.helpdesk_agent.email, world.focal_point.email}
    assert all(REASON in message.body for message in mail.outbox)
    helpdesk_mail = next(m for m in mail.outbox if m.to == [world.helpdesk_agent.email])
    assert f"/matchmaking/cases/{case.pk}/" in helpdesk_mail.body

    services.answer_directly(
        case, actor=world.helpdesk_agent, text="Here is the insect and mollusc guide too.", language="en"
    )
    case.refresh_from_db()
    scene.need.refresh_from_db()
    assert case.state == CaseState.ANSWERED and scene.need.status == NeedStatus.ADDRESSED
    assert [a.reopened_at is None for a in case.responses.all()] == [False, True]


def test_only_the_help_desk_and_the_requesters_people_reopen(scene: Scene) -> None:
    world = scene.world
    case = answered(scene)
    for stranger in (world.partner_editor, world.other_focal_point, world.outsider):
        with pytest.raises(PermissionDenied):
            services.reopen(case, actor=stranger, reason=REASON)
    services.reopen(case, actor=world.helpdesk_agent, reason=REASON)
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN


def test_a_reason_is_required_and_nothing_changes_without_one(scene: Scene) -> None:
    case = answered(scene)
    with pytest.raises(ValidationError) as refused:
        services.reopen(case, actor=scene.world.authorised_user, reason="   ")
    assert "reason" in refused.value.error_dict
    case.refresh_from_db()
    scene.need.refresh_from_db()
    assert case.state == CaseState.ANSWERED and scene.need.status == NeedStatus.ADDRESSED
    assert not Response.objects.filter(reopened_at__isnull=False).exists()


def test_only_an_answered_case_is_reopened(scene: Scene) -> None:
    world = scene.world
    case = Case.objects.get(request=publish_request(world, scene.commit, [scene.need]))
    with pytest.raises(ValidationError):
        services.reopen(case, actor=world.authorised_user, reason=REASON)
    services.send_to_matchmaking(case, actor=world.helpdesk_agent)
    with pytest.raises(ValidationError):
        services.reopen(case, actor=world.authorised_user, reason=REASON)


def test_a_need_addressed_through_a_completed_match_stays_addressed(scene: Scene) -> None:
    world = scene.world
    match = in_progress(world, scene.need, scene.offer)
    services.complete(match, actor=world.partner_editor, results="Trained 25 inspectors.", language="en")
    case = answered(scene)
    services.reopen(case, actor=world.authorised_user, reason=REASON)
    scene.need.refresh_from_db()
    assert scene.need.status == NeedStatus.ADDRESSED


def test_the_requester_reads_the_answer_and_reopens_it_from_the_matches_page(
    scene: Scene, client: Client
) -> None:
    world = scene.world
    case = answered(scene)
    page_path = f"/en/matchmaking/for/{case.subject.identifier}/"
    client.force_login(world.authorised_user)
    page = client.get(page_path).content.decode()
    assert "See the plant pests guide." in page
    assert f'action="/en/matchmaking/cases/{case.pk}/reopen/"' in page

    # No reason: told so, nothing changes.
    response = client.post(f"/en/matchmaking/cases/{case.pk}/reopen/", {"reason": "", "next": page_path})
    assert response.status_code == 302
    assert "Say why the answer did not meet the request." in client.get(page_path).content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.ANSWERED

    response = client.post(f"/en/matchmaking/cases/{case.pk}/reopen/", {"reason": REASON, "next": page_path})
    assert response.status_code == 302 and response["Location"] == page_path
    page = client.get(page_path).content.decode()
    assert "Reopened." in page and REASON in page
    assert f'action="/en/matchmaking/cases/{case.pk}/reopen/"' not in page
    assert Case.objects.get(pk=case.pk).state == CaseState.OPEN

    # The case is back in the console's queue, marked; its page shows why, and the triage again.
    client.force_login(world.helpdesk_agent)
    console = client.get("/en/matchmaking/").content.decode()
    assert case.subject.identifier in console and "answer reopened" in console
    page = client.get(f"/en/matchmaking/cases/{case.pk}/").content.decode()
    assert REASON in page and "Answer directly" in page


def test_others_cannot_reopen_through_the_page(scene: Scene, client: Client) -> None:
    case = answered(scene)
    client.force_login(scene.world.partner_editor)
    assert client.post(f"/en/matchmaking/cases/{case.pk}/reopen/", {"reason": REASON}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.ANSWERED


def test_the_answer_in_arabic_reads_right_to_left(scene: Scene, client: Client) -> None:
    case = answered(scene)
    client.force_login(scene.world.authorised_user)
    page = client.get(f"/ar/matchmaking/for/{case.subject.identifier}/").content.decode()
    assert 'dir="rtl"' in page
    assert 'dir="auto"' in page and "See the plant pests guide." in page
