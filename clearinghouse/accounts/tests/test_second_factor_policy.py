"""People whose role publishes or coordinates — the Secretariat, focal points, the help desk —
and anyone with admin access must turn on a second factor before they act: until then every page
sends them to the page that says why, and the API refuses their browser session."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from clearinghouse.accounts import mfa_policy, services
from clearinghouse.accounts.models import Role, User
from clearinghouse.core.testing import World, give_second_factor, make_country, make_user, totp_code
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import State
from clearinghouse.publishing.tests.testapp.models import Note

SECOND_FACTOR_PAGE = "/en/people/second-factor/"


def _without_second_factor(user: User) -> User:
    Authenticator.objects.filter(user=user).delete()
    return user


def _submitted_note(world: World) -> Note:
    note = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "en", "title": {"en": "Seed bank training"}, "year": 2026},
    )
    workflow.submit(note, actor=world.authorised_user)
    return note


def test_the_roles_that_publish_or_coordinate_require_a_second_factor(world: World) -> None:
    required = {
        name
        for name in ("secretariat", "focal_point", "other_focal_point", "helpdesk_agent")
        if mfa_policy.requires_second_factor(getattr(world, name))
    }
    assert required == {"secretariat", "focal_point", "other_focal_point", "helpdesk_agent"}
    for name in ("authorised_user", "iplc_representative", "partner_editor", "trainer", "learner"):
        assert not mfa_policy.requires_second_factor(getattr(world, name)), name
    assert {
        Role.SECRETARIAT,
        Role.FOCAL_POINT,
        Role.HELPDESK_AGENT,
        Role.TRANSLATOR,
    } == mfa_policy.SECOND_FACTOR_ROLES


def test_a_focal_point_without_a_second_factor_is_sent_away_from_the_review_queue(
    world: World, client: Client
) -> None:
    note = _submitted_note(world)
    client.force_login(_without_second_factor(world.focal_point))
    response = client.get("/en/review/")
    assert response.status_code == 302
    assert response["Location"] == SECOND_FACTOR_PAGE
    # Publishing is held back too, and the record stays where it was.
    response = client.post(f"/en/records/{note.identifier}/publish/")
    assert response["Location"] == SECOND_FACTOR_PAGE
    note.refresh_from_db()
    assert note.state == State.SUBMITTED


def test_the_page_says_why_and_links_to_the_authenticator_app_and_passkey_setup(
    world: World, client: Client
) -> None:
    client.force_login(_without_second_factor(world.focal_point))
    page = client.get(SECOND_FACTOR_PAGE).content.decode()
    assert "a password alone is not enough" in page
    assert "National focal point" in page
    assert 'href="/en/accounts/2fa/totp/activate/"' in page
    assert 'href="/en/accounts/2fa/webauthn/add/"' in page
    # In the reader's language as well.
    assert "Activez un second facteur" in client.get("/fr/people/second-factor/").content.decode()


def test_with_an_authenticator_app_the_focal_point_reviews_and_publishes(
    world: World, client: Client
) -> None:
    note = _submitted_note(world)
    client.force_login(world.focal_point)
    assert client.get("/en/review/").status_code == 200
    client.post(f"/en/records/{note.identifier}/publish/")
    note.refresh_from_db()
    assert note.state == State.PUBLISHED
    # Nothing left to do on the explanation page: it leads to the second factors they have.
    assert client.get(SECOND_FACTOR_PAGE)["Location"] == "/en/accounts/2fa/"


@pytest.mark.parametrize("name", ["secretariat", "helpdesk_agent", "other_focal_point"])
def test_the_other_roles_that_need_it_are_held_back_as_well(world: World, client: Client, name: str) -> None:
    client.force_login(_without_second_factor(getattr(world, name)))
    assert client.get("/en/")["Location"] == SECOND_FACTOR_PAGE


@pytest.mark.parametrize("name", ["authorised_user", "partner_editor", "iplc_representative", "learner"])
def test_roles_that_do_not_need_it_go_on_without_one(world: World, client: Client, name: str) -> None:
    client.force_login(getattr(world, name))
    assert client.get("/en/").status_code == 200


def test_setup_sign_out_password_language_and_health_stay_open(world: World, client: Client) -> None:
    client.force_login(_without_second_factor(world.focal_point))
    for page in (
        "/en/accounts/2fa/",
        # Setting up asks for the password again first: that page is open too.
        "/en/accounts/2fa/totp/activate/",
        "/en/accounts/2fa/webauthn/add/",
        "/en/accounts/logout/",
        "/en/accounts/password/change/",
        "/healthz",
        "/static/core/site.css",
    ):
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        assert SECOND_FACTOR_PAGE not in [url for url, _status in response.redirect_chain], page
        if response.streaming:
            # Read to the end: the client then closes the file without ending the test's
            # transaction (closing the response by hand would close the connection).
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_an_api_call_with_the_session_gets_a_403_that_says_why(world: World, client: Client) -> None:
    client.force_login(_without_second_factor(world.focal_point))
    response = client.get("/api/v1/records/", headers={"accept-language": "es"})
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["code"] == "second_factor_required"
    assert "segundo factor" in error["message"]
    # A header the token check passes over does not let the session through either.
    assert client.get("/api/v1/records/", headers={"authorization": "Basic eDp5"}).status_code == 403


def test_a_page_asked_for_by_htmx_redirects_the_whole_page(world: World, client: Client) -> None:
    client.force_login(_without_second_factor(world.focal_point))
    response = client.get("/en/review/", headers={"hx-request": "true"})
    assert response["HX-Redirect"] == SECOND_FACTOR_PAGE


def test_admin_access_requires_a_second_factor_like_the_roles(world: World, client: Client) -> None:
    staff = make_user("ines", "Inés", "Rojas")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)
    assert client.get("/en/admin/")["Location"] == SECOND_FACTOR_PAGE
    give_second_factor(staff)
    assert client.get("/en/admin/").status_code == 200


def test_the_admin_password_form_alone_gives_no_admin_session(world: World, client: Client) -> None:
    secretariat = world.secretariat
    secretariat.is_staff = True
    secretariat.save(update_fields=["is_staff"])
    response = client.post(
        "/en/admin/login/", {"username": secretariat.email, "password": "amina-passphrase-2026"}
    )
    # The admin's own form is replaced by the site's sign-in: the password is not even checked here.
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session

    # Through the site's sign-in, the password leads to the code, not to the admin.
    response = client.post(
        "/en/accounts/login/", {"login": secretariat.email, "password": "amina-passphrase-2026"}
    )
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    # The admin sends them back to the sign-in, which still asks for the code.
    assert client.get("/en/admin/", follow=True).redirect_chain[-1][0].endswith("/accounts/2fa/authenticate/")
    client.post(response["Location"], {"code": totp_code(secretariat)})
    assert client.get("/en/admin/").status_code == 200


def test_a_newly_appointed_focal_point_signs_in_and_turns_on_an_authenticator_app(
    db: None, client: Client
) -> None:
    baraka = make_user("baraka", "Baraka", "Otieno")
    kenya = make_country("KE", "KEN", {"en": "Kenya"})
    services.appoint(actor=None, user=baraka, role=Role.FOCAL_POINT, country=kenya)
    response = client.post(
        "/en/accounts/login/", {"login": baraka.email, "password": "baraka-passphrase-2026"}
    )
    assert response.status_code == 302
    assert client.get("/en/review/")["Location"] == SECOND_FACTOR_PAGE

    # allauth's own activation page (after confirming the password): the secret it shows and a
    # code from it.
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in response["Location"]
    client.post(response["Location"], {"password": "baraka-passphrase-2026"})
    page = client.get("/en/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert mfa_policy.has_second_factor(baraka)
    assert client.get("/en/review/").status_code == 200


def test_the_profile_shows_the_requirement(world: World, client: Client) -> None:
    client.force_login(world.focal_point)
    page = client.get("/en/people/profile/").content.decode()
    assert "Your role requires a second factor when you sign in, and you have one turned on." in page
    client.force_login(world.authorised_user)
    assert "requires a second factor" not in client.get("/en/people/profile/").content.decode()


def test_an_invitation_to_a_focal_point_role_says_a_second_factor_is_needed(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        focal = services.invite(
            actor=world.secretariat, email="baraka@example.org", role=Role.FOCAL_POINT, country=world.tanzania
        )
        officer = services.invite(
            actor=world.focal_point, email="jane@example.org", role=Role.AUTHORISED_USER, country=world.kenya
        )
    notice = "This role requires a second factor when you sign in"
    assert notice in client.get(f"/en/people/invitations/{focal.token}/").content.decode()
    assert notice not in client.get(f"/en/people/invitations/{officer.token}/").content.decode()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert notice in bodies["baraka@example.org"]
    assert notice not in bodies["jane@example.org"]


def test_the_passkey_setup_page_is_offered_on_plain_http_for_local_use(
    world: World, client: Client, settings: Any
) -> None:
    assert settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN is True  # HTTPS is off here
    client.force_login(_without_second_factor(world.focal_point))
    client.post("/en/accounts/reauthenticate/", {"password": "wanjiru-passphrase-2026"})
    page = client.get("/en/accounts/2fa/webauthn/add/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="mfa_webauthn_add"' in body
    assert "mfa/js/webauthn.js" in body
