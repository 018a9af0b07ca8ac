"""Every published request reaches the help desk as a case; the help desk answers simple ones
directly or sends them to matchmaking, and the needs' statuses say which."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Case, CaseState, Response
from clearinghouse.matchmaking.tests.conftest import Scene, publish_request, publish_support
from clearinghouse.needs.models import NeedStatus, NeedStatusChange
from clearinghouse.support.models import Resource


def test_a_published_request_opens_a_case_once(scene: Scene) -> None:
    request = publish_request(scene.world, scene.commit, [scene.need])
    case = Case.objects.get(request=request)
    assert (case.state, case.need) == (CaseState.OPEN, None)
    # The signal may come again (a republished change): still one case.
    services.open_case(request, actor=None)
    assert Case.objects.filter(request=request).count() == 1


def test_a_case_is_for_a_request_or_a_need_never_both(scene: Scene) -> None:
    request = publish_request(scene.world, scene.commit, [scene.need])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(request=None, need=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(request=request).update(need=scene.need)


def test_the_help_desk_opens_a_case_for_an_open_need_only(scene: Scene) -> None:
    world = scene.world
    with pytest.raises(PermissionDenied):
        services.open_case(scene.need, actor=world.authorised_user)
    case = services.open_case(scene.need, actor=world.helpdesk_agent)
    assert case.need == scene.need and case.assigned_to == world.helpdesk_agent
    other = publish_request(world, scene.commit, [scene.need])
    assert Case.objects.get(request=other).state == CaseState.OPEN


def test_a_need_no_longer_open_gets_no_new_case(scene: Scene) -> None:
    from clearinghouse.needs import services as need_services

    need_services.change_status(scene.need, actor=scene.world.focal_point, status=NeedStatus.WITHDRAWN)
    scene.need.refresh_from_db()
    with pytest.raises(ValidationError):
        services.open_case(scene.need, actor=scene.world.helpdesk_agent)


def test_answering_directly_closes_the_case_and_addresses_the_needs(scene: Scene) -> None:
    world = scene.world
    guide = publish_support(world, scene.commit, Resource)
    request = publish_request(world, scene.commit, [scene.need])
    case = Case.objects.get(request=request)
    mail.outbox.clear()
    with scene.commit(execute=True):
        response = services.answer_directly(
            case,
            actor=world.helpdesk_agent,
            text="The field guide below covers the species your inspectors meet.",
            language="en",
            resources=[guide.identifier.lower()],
        )
    case.refresh_from_db()
    scene.need.refresh_from_db()
    assert case.state == CaseState.ANSWERED and case.closed_at is not None
    assert response.resources == [guide.identifier]
    assert scene.need.status == NeedStatus.ADDRESSED
    change = NeedStatusChange.objects.filter(need=scene.need).last()
    assert change is not None and (change.status, change.changed_by) == ("addressed", world.helpdesk_agent)
    # The requester's people hear of it.
    assert {message.to[0] for message in mail.outbox} == {
        world.focal_point.email,
        world.authorised_user.email,
    }
    assert guide.identifier in mail.outbox[0].body
    # The case page links each resource to its record.
    client = Client()
    client.force_login(world.helpdesk_agent)
    page = client.get(f"/en/matchmaking/cases/{case.pk}/").content.decode()
    assert f'<a href="{reverse("resolve", args=[guide.identifier])}">{guide.identifier}</a>' in page


def test_an_answer_links_published_resources_only(scene: Scene) -> None:
    world = scene.world
    case = services.open_case(scene.need, actor=world.helpdesk_agent)
    with pytest.raises(ValidationError) as refused:
        services.answer_directly(
            case,
            actor=world.helpdesk_agent,
            text="See these.",
            language="en",
            resources=[scene.offer.identifier, "CB-RES-XX-999999"],
        )
    assert scene.offer.identifier in " ".join(refused.value.messages)
    # Nothing half-saved: no answer, the case still open, the need untouched.
    assert not Response.objects.exists()
    case.refresh_from_db()
    scene.need.refresh_from_db()
    assert case.state == CaseState.OPEN and scene.need.status == NeedStatus.OPEN


def test_only_the_help_desk_answers(scene: Scene) -> None:
    case = services.open_case(scene.need, actor=scene.world.helpdesk_agent)
    with pytest.raises(PermissionDenied):
        services.answer_directly(case, actor=scene.world.focal_point, text="Done.", language="en")


def test_sending_to_matchmaking_moves_the_case_and_its_needs(scene: Scene) -> None:
    world = scene.world
    request = publish_request(world, scene.commit, [scene.need])
    case = services.send_to_matchmaking(Case.objects.get(request=request), actor=world.helpdesk_agent)
    scene.need.refresh_from_db()
    assert case.state == CaseState.IN_MATCHMAKING
    assert scene.need.status == NeedStatus.IN_MATCHMAKING
    change = NeedStatusChange.objects.filter(need=scene.need).last()
    assert change is not None and change.changed_by == world.helpdesk_agent
    # An answer is for a case still open, not one in matchmaking.
    with pytest.raises(ValidationError):
        services.answer_directly(case, actor=world.helpdesk_agent, text="Here.", language="en")
