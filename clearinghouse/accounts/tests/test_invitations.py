"""Appointments by invitation: the Secretariat names focal points, focal points name their
Party's authorised users; every step is logged; bad links and bad input change nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from clearinghouse.accounts import services
from clearinghouse.accounts.models import Appointment, AppointmentLog, Invitation, Role
from clearinghouse.core.testing import World, make_user


def _link(message: str) -> str:
    """The path of the invitation link in an e-mail."""
    match = re.search(r"https?://[^/\s]+(/\S*/people/invitations/\S+/)", message)
    assert match, message
    return match.group(1)


def test_a_focal_point_invites_an_authorised_user_who_accepts(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/people/appointments/",
            {"email": "new.officer@example.org", "role": "authorised_user", "country": world.kenya.pk},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "National authorised user" in mail.outbox[0].subject
    link = _link(mail.outbox[0].body)

    newcomer = make_user("new.officer", "Faith", "Wambui")
    client.force_login(newcomer)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    appointment = Appointment.objects.get(user=newcomer)
    assert (appointment.role, appointment.country, appointment.appointed_by) == (
        Role.AUTHORISED_USER,
        world.kenya,
        world.focal_point,
    )
    assert list(AppointmentLog.objects.filter(email=newcomer.email).values_list("action", "actor")) == [
        ("appointed", world.focal_point.pk),
        ("invited", world.focal_point.pk),
    ]


def test_the_invitation_email_is_in_the_invitees_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            actor=world.secretariat, email=world.trainer.email, role=Role.FOCAL_POINT, country=world.tanzania
        )
    # Pierre prefers French: the role's name comes from the French catalogue.
    assert "Correspondant national" in mail.outbox[0].subject


def test_a_focal_point_cannot_appoint_for_another_party(world: World, client: Client) -> None:
    with pytest.raises(PermissionDenied, match="your own Party"):
        services.invite(
            actor=world.focal_point, email="x@example.org", role=Role.AUTHORISED_USER, country=world.tanzania
        )
    client.force_login(world.focal_point)
    response = client.post(
        "/en/people/appointments/",
        {"email": "x@example.org", "role": "authorised_user", "country": world.tanzania.pk},
    )
    # The form only offers the focal point's own Party.
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_focal_point_cannot_appoint_focal_points(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.invite(
            actor=world.focal_point, email="x@example.org", role=Role.FOCAL_POINT, country=world.kenya
        )


def test_only_the_secretariat_appoints_focal_points(world: World) -> None:
    invitation = services.invite(
        actor=world.secretariat, email="fp@example.org", role=Role.FOCAL_POINT, country=world.tanzania
    )
    assert invitation.is_pending
    for person in [world.focal_point, world.authorised_user, world.helpdesk_agent, world.learner]:
        with pytest.raises(PermissionDenied):
            services.invite(
                actor=person, email="fp2@example.org", role=Role.FOCAL_POINT, country=world.tanzania
            )


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "", "two@@example.org"])
def test_an_invalid_email_is_refused(world: World, email: str) -> None:
    with pytest.raises(ValidationError, match="valid e-mail"):
        services.invite(actor=world.focal_point, email=email, role=Role.AUTHORISED_USER, country=world.kenya)
    assert not Invitation.objects.exists()


def test_the_form_error_is_in_the_users_language(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    response = client.post(
        "/fr/people/appointments/",
        {"email": "pas-une-adresse", "role": "authorised_user", "country": world.kenya.pk},
    )
    assert "Saisissez une adresse e-mail valide." in response.content.decode()


def test_inviting_someone_twice_is_refused(world: World) -> None:
    services.invite(
        actor=world.focal_point, email="dup@example.org", role=Role.AUTHORISED_USER, country=world.kenya
    )
    with pytest.raises(ValidationError, match="already been invited"):
        services.invite(
            actor=world.focal_point, email="DUP@example.org", role=Role.AUTHORISED_USER, country=world.kenya
        )


def test_someone_already_in_the_role_is_not_invited_again(world: World) -> None:
    with pytest.raises(ValidationError, match="already holds this role"):
        services.invite(
            actor=world.focal_point,
            email=world.authorised_user.email,
            role=Role.AUTHORISED_USER,
            country=world.kenya,
        )


def test_an_expired_invitation_link_is_refused_and_changes_nothing(world: World, client: Client) -> None:
    invitation = services.invite(
        actor=world.focal_point, email=world.learner.email, role=Role.AUTHORISED_USER, country=world.kenya
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(world.learner)
    response = client.post(f"/en/people/invitations/{invitation.token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Appointment.objects.filter(user=world.learner).exists()


def test_a_used_invitation_link_cannot_be_used_again(world: World, client: Client) -> None:
    invitation = services.invite(
        actor=world.focal_point, email=world.learner.email, role=Role.AUTHORISED_USER, country=world.kenya
    )
    services.accept_invitation(user=world.learner, token=invitation.token)
    client.force_login(world.learner)
    response = client.get(f"/ar/people/invitations/{invitation.token}/")
    assert response.status_code == 400
    # The Arabic page says so in Arabic.
    assert 'dir="rtl"' in response.content.decode()
    with translation.override("en"), pytest.raises(ValidationError, match="already been used"):
        services.accept_invitation(user=world.learner, token=invitation.token)
    assert Appointment.objects.filter(user=world.learner).count() == 1


def test_an_invitation_cannot_be_accepted_by_someone_else(world: World) -> None:
    invitation = services.invite(
        actor=world.focal_point, email="someone@example.org", role=Role.AUTHORISED_USER, country=world.kenya
    )
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.accept_invitation(user=world.outsider, token=invitation.token)
    assert not Appointment.objects.filter(user=world.outsider).exists()


def test_a_made_up_link_is_refused(world: World, client: Client) -> None:
    assert client.get("/en/people/invitations/not-a-token/").status_code == 400


def test_a_withdrawn_invitation_cannot_be_accepted(world: World) -> None:
    invitation = services.invite(
        actor=world.focal_point, email=world.learner.email, role=Role.AUTHORISED_USER, country=world.kenya
    )
    services.revoke_invitation(actor=world.focal_point, invitation=invitation)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.accept_invitation(user=world.learner, token=invitation.token)


def test_a_focal_point_removes_an_authorised_user_and_it_is_logged(world: World, client: Client) -> None:
    appointment = Appointment.objects.get(user=world.authorised_user)
    client.force_login(world.other_focal_point)
    client.post(f"/en/people/appointments/{appointment.pk}/remove/")
    appointment.refresh_from_db()
    assert appointment.is_active, "another Party's focal point cannot remove Kenya's users"

    client.force_login(world.focal_point)
    client.post(f"/en/people/appointments/{appointment.pk}/remove/")
    appointment.refresh_from_db()
    assert appointment.ended_by == world.focal_point
    entry = AppointmentLog.objects.filter(action="removed").get()
    assert (entry.user, entry.actor, entry.role) == (
        world.authorised_user,
        world.focal_point,
        "authorised_user",
    )


def test_people_without_appointing_rights_see_only_their_own_roles(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    page = client.get("/en/people/appointments/").content.decode()
    assert "National authorised user" in page
    assert "Invite someone" not in page
    response = client.post("/en/people/appointments/", {"email": "x@example.org", "role": "authorised_user"})
    assert response.status_code == 403


def test_a_focal_point_sees_only_their_partys_people(world: World, client: Client) -> None:
    client.force_login(world.other_focal_point)
    page = client.get("/en/people/appointments/").content.decode()
    assert world.authorised_user.email not in page


def test_an_iplc_representative_needs_an_iplc_organisation(world: World) -> None:
    with pytest.raises(ValidationError, match="not an organisation of indigenous peoples"):
        services.invite(
            actor=world.secretariat,
            email="x@example.org",
            role=Role.IPLC_REPRESENTATIVE,
            organisation=world.kenyan_ngo,
        )


def test_the_anonymous_visitor_is_asked_to_sign_in(world: World, client: Client) -> None:
    invitation = services.invite(
        actor=world.focal_point, email="x@example.org", role=Role.AUTHORISED_USER, country=world.kenya
    )
    page = client.get(f"/en/people/invitations/{invitation.token}/").content.decode()
    assert "Create an account" in page
    response = client.post(f"/en/people/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
