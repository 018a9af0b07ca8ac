"""Personal API tokens: made only from a signed-in session, hashed at rest, listed and revoked
by their owner and the Secretariat, revoked by a new password, refused once expired, for an
account that may not sign in, or (read-only ones) for changes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from clearinghouse.accounts import tokens
from clearinghouse.accounts.api.permissions import TokenScopeAllowsMethod
from clearinghouse.accounts.models import ApiToken, TokenScope, User
from clearinghouse.core.testing import World, token_headers

ORGANISATION = {"name": "Youth for Nature", "name_language": "en", "type": "ngo", "country": "KE"}


def _create(client: Client, **fields: object) -> str:
    """Create a token on the tokens page and return the key the page shows."""
    data = {"name": "Nightly export", "scope": "write", "days": "90"} | fields
    response = client.post("/en/people/tokens/", data)
    assert response.status_code == 200, response.content
    match = re.search(r'<code class="token-key" dir="ltr">([0-9a-f]+)</code>', response.content.decode())
    assert match, response.content
    return match.group(1)


def _api_get(client: Client, key: str) -> int:
    # The matches list is for signed-in people only, so a refused token cannot pass as anonymous.
    return client.get("/api/v1/matches/", headers={"authorization": f"Token {key}"}).status_code


def test_a_password_alone_no_longer_gets_a_token(world: World, client: Client) -> None:
    # A password alone would bypass two-factor sign-in and e-mail verification.
    response = client.post(
        "/api/v1/auth/token/", {"username": "otieno", "password": "otieno-passphrase-2026"}
    )
    assert response.status_code == 410
    message = response.json()["errors"][0]["message"]
    assert "/en/people/tokens/" in message
    assert not ApiToken.objects.exists()
    assert "auth/token" not in client.get("/api/v1/schema/").content.decode()


def test_the_gone_message_follows_the_request_language(world: World, client: Client) -> None:
    response = client.post("/api/v1/auth/token/", headers={"accept-language": "fr"})
    assert response.status_code == 410
    assert "/fr/people/tokens/" in response.json()["errors"][0]["message"]
    assert "API tokens are no longer" not in response.json()["errors"][0]["message"]


def test_tokens_are_made_only_from_a_signed_in_session(client: Client, db: None) -> None:
    response = client.post("/en/people/tokens/", {"name": "x", "scope": "write", "days": "90"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_a_new_tokens_key_is_shown_once_and_works(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    key = _create(client)
    token = ApiToken.objects.get(user=world.authorised_user)
    assert (token.name, token.scope) == ("Nightly export", TokenScope.WRITE)
    assert token.expiry is not None
    assert timedelta(days=89) < token.expiry - timezone.now() <= timedelta(days=90)
    page = client.get("/en/people/tokens/")
    assert "Nightly export" in page.content.decode()
    assert key not in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    client.logout()
    assert _api_get(client, key) == 200


def test_the_database_holds_no_key(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    key = _create(client)
    stored = ApiToken.objects.values().get()
    # Only a hash, and the first characters knox looks a token up by.
    assert not any(key in str(value) for value in stored.values())
    assert len(stored["token_key"]) < len(key) // 2


def test_bad_input_gets_a_clear_error_and_no_token(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    for data, problem in (
        ({"name": "\u200b \u200b", "scope": "read", "days": "90"}, "Give the token a name"),
        ({"name": "x" * 101, "scope": "read", "days": "90"}, "at most 100 characters"),
        ({"name": "x", "scope": "admin", "days": "90"}, "Select a valid choice"),
        ({"name": "x", "scope": "read", "days": "3650"}, "Select a valid choice"),
    ):
        response = client.post("/en/people/tokens/", data)
        assert response.status_code == 400
        assert problem in response.content.decode(), data
    assert not ApiToken.objects.exists()


def test_no_token_lives_longer_than_a_year(world: World) -> None:
    assert max(tokens.LIFETIMES) == 365
    with pytest.raises(Exception, match="how long"):
        tokens.issue(user=world.learner, name="x", scope="read", days=366)


def test_owners_list_and_revoke_their_tokens_and_nobody_elses(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    key = _create(client, name="Mine")
    token = ApiToken.objects.get()
    revoke = f"/en/people/tokens/{token.digest}/revoke/"

    client.force_login(world.focal_point)
    assert "Mine" not in client.get("/en/people/tokens/").content.decode()
    assert client.post(revoke).status_code == 404
    assert client.get("/en/people/tokens/everyone/").status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()

    client.force_login(world.authorised_user)
    assert client.post(revoke).status_code == 302
    assert not ApiToken.objects.exists()
    client.logout()
    assert _api_get(client, key) == 401


def test_the_secretariat_lists_and_revokes_anyones_tokens(world: World, client: Client) -> None:
    client.force_login(world.partner_editor)
    key = _create(client, name="Partner sync")
    token = ApiToken.objects.get()

    client.force_login(world.secretariat)
    page = client.get("/en/people/tokens/everyone/").content.decode()
    assert "Partner sync" in page and world.partner_editor.email in page
    response = client.post(f"/en/people/tokens/{token.digest}/revoke/")
    assert response.status_code == 302 and response["Location"].endswith("/people/tokens/everyone/")
    client.logout()
    assert _api_get(client, key) == 401


def test_changing_the_password_revokes_every_token(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    keys = [_create(client, name="One"), _create(client, name="Two")]
    other = token_headers(world.focal_point)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "otieno-passphrase-2026",
            "password1": "a-new-passphrase-2027",
            "password2": "a-new-passphrase-2027",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=world.authorised_user).exists()
    client.logout()
    assert [_api_get(client, key) for key in keys] == [401, 401]
    # Only that person's tokens.
    assert client.get("/api/v1/matches/", headers=other).status_code == 200


def test_resetting_the_password_revokes_every_token(world: World, client: Client) -> None:
    client.force_login(world.authorised_user)
    key = _create(client)
    client.logout()
    client.post("/en/accounts/password/reset/", {"email": world.authorised_user.email})
    link = re.search(r"https?://[^/]+(/\S+/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new = "a-new-passphrase-2027"
    assert (
        client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new}).status_code == 302
    )
    assert not ApiToken.objects.exists()
    client.logout()
    assert _api_get(client, key) == 401


def test_an_expired_token_is_refused(world: World, client: Client) -> None:
    headers = token_headers(world.authorised_user)
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/matches/", headers=headers).status_code == 401
    assert not ApiToken.objects.exists()


def test_an_inactive_or_unverified_account_is_refused(world: World, client: Client) -> None:
    inactive = token_headers(world.learner)
    User.objects.filter(pk=world.learner.pk).update(is_active=False)
    assert client.get("/api/v1/matches/", headers=inactive).status_code == 401

    unverified = token_headers(world.outsider)
    EmailAddress.objects.filter(user=world.outsider).update(verified=False)
    response = client.get("/api/v1/matches/", headers=unverified)
    assert response.status_code == 401
    assert "not verified" in response.json()["errors"][0]["message"]


def test_a_token_does_not_bypass_the_second_factor_its_owners_role_calls_for(
    world: World, client: Client
) -> None:
    # Made while the focal point had an authenticator; then they removed it.
    headers = token_headers(world.focal_point)
    assert client.get("/api/v1/matches/", headers=headers).status_code == 200
    Authenticator.objects.filter(user=world.focal_point).delete()
    response = client.get("/api/v1/matches/", headers=headers)
    assert response.status_code == 401
    assert "second factor" in response.json()["errors"][0]["message"]


def test_a_read_only_token_reads_but_cannot_write(world: World, client: Client) -> None:
    headers = token_headers(world.partner_editor, scope=TokenScope.READ)
    assert client.get("/api/v1/matches/", headers=headers).status_code == 200
    response = client.post(
        "/api/v1/organisations/", ORGANISATION, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert "may only read" in response.json()["errors"][0]["message"]
    url = f"/api/v1/organisations/{world.kenyan_ngo.pk}/"
    assert (
        client.patch(url, {"acronym": "NK"}, content_type="application/json", headers=headers).status_code
        == 403
    )

    writer = token_headers(world.partner_editor, scope=TokenScope.WRITE)
    response = client.post(
        "/api/v1/organisations/", ORGANISATION, content_type="application/json", headers=writer
    )
    assert response.status_code == 201, response.content


def test_last_use_is_written_at_most_once_a_minute(world: World, client: Client) -> None:
    headers = token_headers(world.authorised_user)
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/v1/matches/", headers=headers)
    first = ApiToken.objects.get().last_used_at
    assert first is not None

    # Used again within the minute: the time stays (no write on every request).
    recent = timezone.now() - timedelta(seconds=30)
    ApiToken.objects.update(last_used_at=recent)
    client.get("/api/v1/matches/", headers=headers)
    assert ApiToken.objects.get().last_used_at == recent

    older = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.update(last_used_at=older)
    client.get("/api/v1/matches/", headers=headers)
    last = ApiToken.objects.get().last_used_at
    assert last is not None and last > older + timedelta(minutes=1)


def _api_views(patterns: list[Any]) -> list[tuple[str, Any]]:
    views = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            views.extend(_api_views(pattern.url_patterns))
        elif getattr(pattern.callback, "cls", None) is not None:
            views.append((str(pattern.pattern), pattern.callback))
    return views


def test_every_api_view_that_writes_checks_the_token_scope() -> None:
    # A view that sets its own permission_classes drops the default scope check: the guard
    # against a future writable endpoint a read-only token could change things through.
    # The two function views only ever answer with an error (404, 410).
    answers_only_errors = {"not_found", "password_exchange_gone"}
    for route, callback in _api_views(get_resolver("clearinghouse.api.urls").url_patterns):
        actions = getattr(callback, "actions", None)
        methods = (
            set(actions)
            if actions
            else {name for name in ("post", "put", "patch", "delete") if hasattr(callback.cls, name)}
        )
        if not methods & {"post", "put", "patch", "delete"} or callback.cls.__name__ in answers_only_errors:
            continue
        assert TokenScopeAllowsMethod in callback.cls.permission_classes, route
