"""A registered person without a role asks a Party's focal point or an organisation's editor for
access; the focal point, the editor or the Secretariat grants it (an appointment, logged like an
accepted invitation) or declines it in one click; both sides are told by e-mail, in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from clearinghouse.accounts import services
from clearinghouse.accounts.models import AccessRequest, Appointment, AppointmentLog, Role
from clearinghouse.core.testing import World


def test_a_person_asks_their_partys_focal_point_who_grants_in_one_click(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/people/access/", {"country": world.kenya.pk, "message": "I keep Kenya's needs register."}
        )
    assert response.status_code == 302
    access_request = AccessRequest.objects.get(requester=world.learner)
    assert (access_request.role, access_request.country, access_request.outcome) == (
        Role.AUTHORISED_USER,
        world.kenya,
        "",
    )
    # Kenya's focal point is told, not Tanzania's, nor the Secretariat.
    assert [message.to for message in mail.outbox] == [[world.focal_point.email]]
    assert "Mei Wang" in mail.outbox[0].subject and "I keep Kenya's needs register." in mail.outbox[0].body

    client.force_login(world.focal_point)
    dashboard = client.get("/en/work/").content.decode()
    assert "1 access request waiting for your decision" in dashboard
    assert f"/en/people/access/{access_request.pk}/grant/" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/people/access/{access_request.pk}/grant/")
    assert response["Location"] == "/en/work/"
    appointment = Appointment.objects.get(user=world.learner, ended_at__isnull=True)
    assert (appointment.role, appointment.country, appointment.appointed_by) == (
        Role.AUTHORISED_USER,
        world.kenya,
        world.focal_point,
    )
    access_request.refresh_from_db()
    assert (access_request.outcome, access_request.decided_by) == ("granted", world.focal_point)
    assert list(AppointmentLog.objects.filter(user=world.learner).values_list("action", "actor")) == [
        ("appointed", world.focal_point.pk),
        ("access_requested", world.learner.pk),
    ]
    # The requester is told, in Chinese, her preferred language.
    assert mail.outbox[-1].to == [world.learner.email]
    assert "国家授权用户" in mail.outbox[-1].subject


def test_an_organisation_editor_declines_and_the_requester_is_told(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        access_request = services.request_access(requester=world.outsider, scope=world.kenyan_ngo)
    assert access_request.role == Role.PARTNER_EDITOR
    assert mail.outbox[0].to == [world.partner_editor.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_access(actor=world.partner_editor, access_request=access_request)
    access_request.refresh_from_db()
    assert access_request.outcome == "declined"
    assert not Appointment.objects.filter(user=world.outsider).exists()
    assert AppointmentLog.objects.filter(user=world.outsider, action="access_declined").exists()
    assert mail.outbox[-1].to == [world.outsider.email]
    # In Russian, the outsider's language.
    assert "отклонён" in mail.outbox[-1].subject
    # Declined, they may ask again.
    services.request_access(requester=world.outsider, scope=world.kenyan_ngo)


def test_an_iplc_organisation_is_asked_for_its_representative_role(world: World) -> None:
    access_request = services.request_access(requester=world.learner, scope=world.kenyan_iplc)
    assert access_request.role == Role.IPLC_REPRESENTATIVE
    assert services.deciders(access_request) == [world.iplc_representative]


def test_nobody_acts_for_the_organisation_so_the_secretariat_is_asked(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_access(requester=world.learner, scope=world.international)
    assert [message.to for message in mail.outbox] == [[world.secretariat.email]]


@pytest.mark.parametrize(
    "decider", ["other_focal_point", "authorised_user", "partner_editor", "helpdesk_agent"]
)
def test_only_the_partys_focal_point_or_the_secretariat_decides(world: World, decider: str) -> None:
    access_request = services.request_access(requester=world.learner, scope=world.kenya)
    with pytest.raises(PermissionDenied):
        services.grant_access(actor=getattr(world, decider), access_request=access_request)
    with pytest.raises(PermissionDenied):
        services.decline_access(actor=getattr(world, decider), access_request=access_request)
    assert AccessRequest.objects.get().is_pending
    services.grant_access(actor=world.secretariat, access_request=access_request)
    assert Appointment.objects.filter(user=world.learner, role=Role.AUTHORISED_USER).exists()


def test_someone_elses_request_cannot_be_decided_from_the_web(world: World, client: Client) -> None:
    access_request = services.request_access(requester=world.learner, scope=world.kenya)
    client.force_login(world.other_focal_point)
    assert client.post(f"/en/people/access/{access_request.pk}/grant/").status_code == 404
    assert client.get(f"/en/people/access/{access_request.pk}/grant/").status_code == 405
    assert AccessRequest.objects.get().is_pending
    assert "access request" not in client.get("/en/work/").content.decode()


def test_a_decided_request_is_not_decided_again(world: World) -> None:
    access_request = services.request_access(requester=world.learner, scope=world.kenya)
    services.decline_access(actor=world.focal_point, access_request=access_request)
    with pytest.raises(ValidationError) as refused:
        services.grant_access(actor=world.focal_point, access_request=access_request)
    assert refused.value.code == "decided"


def test_a_second_request_for_the_same_scope_gets_a_translated_error(world: World, client: Client) -> None:
    services.request_access(requester=world.learner, scope=world.kenya)
    client.force_login(world.outsider)
    client.post("/fr/people/access/", {"country": world.kenya.pk})
    client.force_login(world.learner)
    response = client.post("/fr/people/access/", {"country": world.kenya.pk})
    assert response.status_code == 400
    assert "Vous avez déjà demandé un accès ici" in response.content.decode()
    assert AccessRequest.objects.filter(requester=world.learner).count() == 1
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(requester=world.learner, role=Role.AUTHORISED_USER, country=world.kenya)


def test_someone_who_holds_the_role_already_gets_a_translated_error(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    response = client.post("/es/people/access/", {"country": world.kenya.pk})
    assert response.status_code == 400
    assert "Ya tiene esta función." in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_the_form_asks_for_exactly_one_party_or_organisation(world: World, client: Client) -> None:
    client.force_login(world.learner)
    for data in ({}, {"country": world.kenya.pk, "organisation": world.kenyan_ngo.pk}):
        response = client.post("/en/people/access/", data)
        assert response.status_code == 400
        assert "Choose either a Party or an organisation." in response.content.decode()
    assert not AccessRequest.objects.exists()
