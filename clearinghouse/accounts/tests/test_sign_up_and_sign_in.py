"""Accounts as a new person meets them: sign up, verify the address, sign in, two-factor
sign-in, password reset, and the lock after repeated wrong passwords."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import make_user

pytestmark = pytest.mark.django_db


def _first_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


def test_a_new_person_signs_up_and_verifies_their_address(client: Client) -> None:
    response = client.post(
        "/en/accounts/signup/",
        {"email": "grace@example.org", "password1": "correct horse 2026", "password2": "correct horse 2026"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="grace@example.org")
    # Not signed in until the address is verified.
    assert "Sign out" not in client.get("/en/").content.decode()

    confirmation = _first_link(mail.outbox[-1].body)
    assert client.get(confirmation).status_code == 200
    response = client.post(confirmation)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified
    assert "Sign out" in client.get("/en/").content.decode()


def test_signing_up_twice_with_one_address_creates_no_second_account(client: Client) -> None:
    make_user("grace", "Grace", "Mutua")
    client.post(
        "/en/accounts/signup/",
        {"email": "grace@example.org", "password1": "correct horse 2026", "password2": "correct horse 2026"},
    )
    assert User.objects.filter(email__iexact="grace@example.org").count() == 1
    # The owner of the address is told, without revealing to the visitor that it exists.
    assert "grace@example.org" in mail.outbox[-1].to


def test_an_invalid_address_gets_a_clear_error_in_the_readers_language(client: Client) -> None:
    response = client.post(
        "/es/accounts/signup/",
        {"email": "no-es-correo", "password1": "correct horse 2026", "password2": "correct horse 2026"},
    )
    assert response.status_code == 200
    assert "Introduzca una dirección de correo electrónico válida." in response.content.decode()
    assert not User.objects.exists()


def test_a_person_signs_in_with_email_and_password(client: Client) -> None:
    make_user("nadia", "Nadia", "Salem", "ar")
    response = client.post(
        "/en/accounts/login/", {"login": "nadia@example.org", "password": "nadia-passphrase-2026"}
    )
    assert response.status_code == 302
    # Signed in, the person lands on their dashboard in the language they prefer.
    assert response["Location"] == "/ar/work/"


def test_a_wrong_password_is_refused_in_the_readers_language(client: Client) -> None:
    make_user("nadia", "Nadia", "Salem")
    response = client.post("/fr/accounts/login/", {"login": "nadia@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "Adresse e-mail" in response.content.decode() or "incorrect" in response.content.decode()


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_two_factor_sign_in_asks_for_the_code(client: Client) -> None:
    user = make_user("karim", "Karim", "Benali")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = client.post("/en/accounts/login/", {"login": user.email, "password": "karim-passphrase-2026"})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    # Password alone does not sign in.
    assert "Sign out" not in client.get("/en/").content.decode()

    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(response["Location"], {"code": _current_code(secret)})
    assert response.status_code == 302
    assert "Sign out" in client.get("/en/").content.decode()


def test_repeated_wrong_passwords_lock_the_account_from_that_address(client: Client, settings: Any) -> None:
    make_user("nadia", "Nadia", "Salem")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": "wrong"})
    last = client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": "wrong"})
    assert last.status_code == 429
    assert "Sign-in locked" in last.content.decode()
    # Even the right password is refused while locked (allauth's rate limit answers first now).
    response = client.post(
        "/en/accounts/login/", {"login": "nadia@example.org", "password": "nadia-passphrase-2026"}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "Sign out" not in client.get("/en/").content.decode()


def test_a_password_reset_lifts_the_lockout_as_the_page_says(client: Client, settings: Any) -> None:
    make_user("nadia", "Nadia", "Salem")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": "wrong"})
    client.post("/en/accounts/password/reset/", {"email": "nadia@example.org"})
    link = re.search(r"https?://[^/]+(/\S+/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new = "a-new-passphrase-for-nadia-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    response = client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": new})
    assert response.status_code == 302
    assert "Sign out" in client.get("/en/").content.decode()


def test_password_reset_sends_a_link(client: Client) -> None:
    make_user("nadia", "Nadia", "Salem")
    response = client.post("/en/accounts/password/reset/", {"email": "nadia@example.org"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_the_profile_keeps_languages_and_expertise(client: Client) -> None:
    user = make_user("nadia", "Nadia", "Salem")
    client.force_login(user)
    response = client.post(
        "/en/people/profile/",
        {
            "first_name": "Nadia",
            "last_name": "Salem",
            "preferred_language": "fr",
            "languages_spoken": ["ar", "fr", "sw"],
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.preferred_language, user.languages_spoken) == ("fr", ["ar", "fr", "sw"])


def test_the_profile_refuses_an_unknown_language(client: Client) -> None:
    user = make_user("nadia", "Nadia", "Salem")
    client.force_login(user)
    response = client.post(
        "/en/people/profile/",
        {"first_name": "Nadia", "last_name": "Salem", "preferred_language": "en", "languages_spoken": ["xx"]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.languages_spoken == []


def test_the_admin_signs_in_through_the_sites_sign_in_with_its_second_factor(client: Client) -> None:
    user = make_user("amina", "Amina", "Haddad")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    # The admin's own form does not take a password alone: it sends the person to the sign-in.
    response = client.post("/en/admin/login/", {"username": "amina", "password": "amina-passphrase-2026"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/en/admin/").status_code == 302
    response = client.post("/en/accounts/login/", {"login": user.email, "password": "amina-passphrase-2026"})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/en/admin/").status_code == 302
    client.post(response["Location"], {"code": _current_code(secret)})
    assert client.get("/en/admin/").status_code == 200


def test_a_signed_in_person_without_staff_rights_is_refused_the_admin(client: Client) -> None:
    user = make_user("omar", "Omar", "Said")
    client.force_login(user)
    assert client.get("/en/admin/login/").status_code == 403
