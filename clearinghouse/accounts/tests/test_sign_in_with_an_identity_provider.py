"""Sign-in with an existing identity (OpenID Connect), against a standards-compliant provider
served on 127.0.0.1 (identity_provider.py): the whole authorization-code flow with PKCE, from
our sign-in button to the provider and back to the callback."""

from __future__ import annotations

import html
import re
import subprocess  # nosec B404 - the settings read in a fresh interpreter
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client

from clearinghouse.accounts.models import Appointment, User
from clearinghouse.accounts.tests.identity_provider import LoopbackProvider, loopback_provider
from clearinghouse.core.testing import build_world, make_user, totp_code
from clearinghouse.env import env_identity_providers

pytestmark = pytest.mark.django_db

PROVIDER_ID = "loopback"
NAME = "Loopback ID"
CALLBACK = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"


def configure(
    settings: Any, monkeypatch: pytest.MonkeyPatch, op: LoopbackProvider, *, trust_email: bool
) -> None:
    """The provider, configured as a deployment would: through the environment."""
    for name, value in {
        "OIDC_PROVIDERS": PROVIDER_ID,
        "OIDC_LOOPBACK_NAME": NAME,
        "OIDC_LOOPBACK_ISSUER": op.issuer,
        "OIDC_LOOPBACK_CLIENT_ID": op.client_id,
        "OIDC_LOOPBACK_CLIENT_SECRET": op.client_secret,
        "OIDC_LOOPBACK_TRUST_EMAIL": "1" if trust_email else "0",
    }.items():
        monkeypatch.setenv(name, value)
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": env_identity_providers(), "OAUTH_PKCE_ENABLED": True}
    }


@pytest.fixture
def op(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackProvider]:
    with loopback_provider(
        client_id="clearinghouse", client_secret="loopback-secret", redirect_uri=CALLBACK
    ) as op:
        configure(settings, monkeypatch, op, trust_email=False)
        yield op


def person(op: LoopbackProvider, key: str, email: str, *, verified: bool = True) -> None:
    """The person signed in at the provider."""
    op.people[key] = {
        "sub": f"{key}-sub",
        "email": email,
        "email_verified": verified,
        "name": f"{key.title()} Example",
        "given_name": key.title(),
        "family_name": "Example",
    }
    op.signed_in_as = key


def buttons(page: str) -> dict[str, str]:
    """The identity provider buttons of a page: their label and where they post."""
    found = re.findall(
        r'<form class="identity-provider" method="post" action="([^"]+)">.*?<button[^>]*>([^<]+)</button>',
        page,
        re.DOTALL,
    )
    return {label.strip(): html.unescape(action) for action, label in found}


def through_the_provider(client: Client, op: LoopbackProvider, start: Any) -> tuple[str, Any]:
    """Follow our redirect to the provider, which approves at once and sends the browser back;
    the callback address it sends it to, and our answer there."""
    assert start.status_code == 302, start
    authorize = start["Location"]
    assert authorize.startswith(f"{op.issuer}/authorize?")
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["redirect_uri"] == [CALLBACK]
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"][0]
    assert "openid" in asked["scope"][0].split() and "email" in asked["scope"][0].split()
    at_provider = requests.get(authorize, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = at_provider.headers["Location"]
    assert back.startswith(CALLBACK)
    return back, client.get(back.removeprefix("http://testserver"))


def sign_in(client: Client, op: LoopbackProvider, page: str = "/en/accounts/login/", label: str = "") -> Any:
    found = buttons(client.get(page).content.decode())
    action = found[label or f"Sign in with {NAME}"]
    return through_the_provider(client, op, client.post(action))[1]


def signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_new_person_signs_in_in_arabic_and_comes_back_to_the_same_account(op: LoopbackProvider) -> None:
    person(op, "zawadi", "zawadi@example.org")
    client = Client()
    page = client.get("/ar/accounts/login/").content.decode()
    assert 'dir="rtl"' in page
    label = f"تسجيل الدخول باستخدام {NAME}"
    assert label in buttons(page)

    response = sign_in(client, op, "/ar/accounts/login/", label)

    # Signed in, on the dashboard, in the language the sign-in began in (the callback has none).
    assert response.status_code == 302 and response["Location"] == "/ar/work/"
    user = signed_in_as(client)
    assert user is not None and user.email == "zawadi@example.org"
    assert (user.first_name, user.last_name, user.preferred_language) == ("Zawadi", "Example", "ar")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "zawadi-sub"
    # The same status as anyone who signs up: no role until one is given.
    assert not Appointment.objects.filter(user=user).exists() and not user.is_staff
    assert client.get("/ar/work/").status_code == 200

    again = Client()
    response = sign_in(again, op)
    assert response.status_code == 302
    assert signed_in_as(again) == user
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


def test_an_address_the_provider_has_not_verified_is_confirmed_by_e_mail_first(op: LoopbackProvider) -> None:
    person(op, "zawadi", "zawadi@example.org", verified=False)
    client = Client()

    response = sign_in(client, op)

    # As on sign-up: the account waits for its address to be confirmed.
    assert response.status_code == 302 and response["Location"] == "/en/accounts/confirm-email/"
    assert signed_in_as(client) is None
    user = User.objects.get(email="zawadi@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    confirmation = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert confirmation and mail.outbox[-1].to == ["zawadi@example.org"]
    assert client.post(confirmation.group(1)).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_as(client) == user


def test_a_trusted_provider_signs_in_the_account_that_holds_its_verified_address(
    op: LoopbackProvider, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(settings, monkeypatch, op, trust_email=True)
    grace = make_user("grace", "Grace", "Mutua")
    person(op, "grace", "grace@example.org", verified=True)
    client = Client()

    response = sign_in(client, op)

    assert response.status_code == 302 and response["Location"] == "/en/work/"
    assert signed_in_as(client) == grace
    # Connected: the next sign-in finds the account by its identity, not its address.
    assert SocialAccount.objects.get(provider=PROVIDER_ID).user == grace
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("trusted", "verified"),
    [(True, False), (False, True)],
    ids=["trusted-provider-unverified-address", "untrusted-provider-verified-address"],
)
def test_an_address_alone_never_takes_over_an_account(
    op: LoopbackProvider, settings: Any, monkeypatch: pytest.MonkeyPatch, trusted: bool, verified: bool
) -> None:
    configure(settings, monkeypatch, op, trust_email=trusted)
    grace = make_user("grace", "Grace", "Mutua")
    person(op, "intruder", "grace@example.org", verified=verified)
    client = Client()

    response = sign_in(client, op)

    # Nobody is signed in; the page says what it says to anyone signing up with an address
    # (no sign that the account exists), and the address's owner is told by e-mail.
    assert signed_in_as(client) is None
    assert response.status_code == 302 and response["Location"] == "/en/accounts/confirm-email/"
    assert mail.outbox and mail.outbox[-1].to == ["grace@example.org"]
    assert not SocialAccount.objects.exists()
    grace.refresh_from_db()
    assert grace.check_password("grace-passphrase-2026")
    assert User.objects.count() == 1


def test_a_role_that_needs_a_second_factor_still_gives_it(
    op: LoopbackProvider, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(settings, monkeypatch, op, trust_email=True)
    world = build_world()
    focal_point = world.focal_point
    person(op, "wanjiru", focal_point.email)
    client = Client()

    response = sign_in(client, op)

    # The provider's word is not enough: allauth asks for the code, as after a password.
    assert response.status_code == 302 and response["Location"] == "/en/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None
    assert client.post(response["Location"], {"code": "000000"}).status_code == 200
    assert signed_in_as(client) is None
    done = client.post(response["Location"], {"code": totp_code(focal_point)})
    assert done.status_code == 302
    assert signed_in_as(client) == focal_point


def test_a_role_without_its_second_factor_is_sent_to_turn_one_on(
    op: LoopbackProvider, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(settings, monkeypatch, op, trust_email=True)
    focal_point = build_world().focal_point
    Authenticator.objects.filter(user=focal_point).delete()
    person(op, "wanjiru", focal_point.email)
    client = Client()

    sign_in(client, op)

    assert signed_in_as(client) == focal_point
    held = client.get("/en/work/")
    assert held.status_code == 302 and held["Location"] == "/en/people/second-factor/"


def test_an_answer_that_does_not_match_the_sign_in_is_refused(op: LoopbackProvider) -> None:
    person(op, "zawadi", "zawadi@example.org")
    client = Client()
    start = client.post(buttons(client.get("/en/accounts/login/").content.decode())[f"Sign in with {NAME}"])
    authorize = start["Location"]
    back = requests.get(authorize, allow_redirects=False, timeout=5).headers["Location"]
    parts = urlsplit(back)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    forged = urlunsplit(("", "", parts.path, urlencode({**query, "state": "forged-state"}), ""))

    response = client.get(forged)

    assert response.status_code == 401
    assert "does not belong to a sign-in started in this browser" in response.content.decode()
    assert signed_in_as(client) is None
    # Nor does the right answer work in another browser.
    elsewhere = Client()
    response = elsewhere.get(back.removeprefix("http://testserver"))
    assert "does not belong to a sign-in started in this browser" in response.content.decode()
    assert signed_in_as(elsewhere) is None
    assert not User.objects.exists()


def test_a_provider_that_answers_with_an_error_signs_nobody_in(op: LoopbackProvider) -> None:
    client = Client()
    start = client.post(
        buttons(client.get("/es/accounts/login/").content.decode())[f"Iniciar sesión con {NAME}"]
    )
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    path = urlsplit(CALLBACK).path

    response = client.get(path, {"state": state, "error": "temporarily_unavailable"})

    # In the language the sign-in began in, though the callback's address has none.
    assert response.status_code == 401 and response["Content-Language"] == "es"
    assert f"{NAME} no confirmó su identidad." in response.content.decode()
    assert signed_in_as(client) is None


def test_a_tampered_id_token_is_refused(op: LoopbackProvider) -> None:
    person(op, "zawadi", "zawadi@example.org")
    op.tamper_next_id_token = True
    client = Client()

    response = sign_in(client, op)

    assert response.status_code == 401
    assert "could not be verified" in response.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.exists() and not SocialAccount.objects.exists()


def test_a_person_connects_and_disconnects_an_identity_on_their_account_page(op: LoopbackProvider) -> None:
    grace = make_user("grace", "Grace", "Mutua", "fr")
    person(op, "grace", "grace.mutua@elsewhere.example")
    client = Client()
    client.force_login(grace)

    profile = client.get("/fr/people/profile/").content.decode()
    assert 'href="/fr/accounts/3rdparty/"' in profile
    page = client.get("/fr/accounts/3rdparty/").content.decode()
    _back, response = through_the_provider(client, op, client.post(buttons(page)[f"Connecter {NAME}"]))

    assert response.status_code == 302 and response["Location"] == "/fr/accounts/3rdparty/"
    connected = SocialAccount.objects.get(user=grace)
    assert connected.uid == "grace-sub"
    # The other service's address is not taken for the account's.
    grace.refresh_from_db()
    assert grace.email == "grace@example.org"

    signed_out = Client()
    assert sign_in(signed_out, op).status_code == 302
    assert signed_in_as(signed_out) == grace

    response = client.post("/fr/accounts/3rdparty/", {"account": connected.pk})
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()


def test_the_last_way_into_an_account_without_a_password_stays(op: LoopbackProvider, client: Client) -> None:
    user = User.objects.create_user("zawadi", email="zawadi@example.org", password=None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    account = SocialAccount.objects.create(user=user, provider=PROVIDER_ID, uid="zawadi-sub")
    client.force_login(user)

    response = client.post("/en/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 200
    assert "Your account has no password set up." in response.content.decode()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_without_a_provider_nothing_changes(client: Client) -> None:
    page = client.get("/en/accounts/login/")
    assert buttons(page.content.decode()) == {}
    assert "Or sign in with an account you already have" not in page.content.decode()
    assert "form-action 'self';" in page["Content-Security-Policy"] + ";"
    client.force_login(make_user("grace", "Grace", "Mutua"))
    assert "/accounts/3rdparty/" not in client.get("/en/people/profile/").content.decode()


def _setting_with(environment: dict[str, str], expression: str) -> str:
    code = f"import django; from django.conf import settings; django.setup(); print({expression})"
    env = {"DJANGO_SETTINGS_MODULE": "clearinghouse.settings", "PATH": "/usr/bin:/bin", **environment}
    done = subprocess.run(  # nosec B603 - this interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else done.stderr


@pytest.mark.single_run
def test_the_sign_in_buttons_may_post_to_the_provider(tmp_path: Any) -> None:
    """Browsers apply form-action to the redirect that follows a form: the provider's origin is
    allowed there (without a provider, only our own: test_without_a_provider_nothing_changes)."""
    environment = {
        "VAR_DIR": str(tmp_path),
        "OIDC_PROVIDERS": "cbd",
        "OIDC_CBD_NAME": "CBD",
        "OIDC_CBD_ISSUER": "https://accounts.cbd.example/realms/cbd",
        "OIDC_CBD_CLIENT_ID": "clearinghouse",
    }
    form_action = "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']"
    assert _setting_with(environment, form_action) == "[\"'self'\", 'https://accounts.cbd.example']"


def test_the_environment_describes_each_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OIDC_PROVIDERS", "cbd, kenya-ecitizen")
    for prefix, issuer in (
        ("OIDC_CBD_", "https://accounts.cbd.example/"),
        ("OIDC_KENYA_ECITIZEN_", "https://id.ke.example"),
    ):
        monkeypatch.setenv(prefix + "NAME", prefix)
        monkeypatch.setenv(prefix + "ISSUER", issuer)
        monkeypatch.setenv(prefix + "CLIENT_ID", "clearinghouse")
    monkeypatch.setenv("OIDC_KENYA_ECITIZEN_TRUST_EMAIL", "yes")
    cbd, kenya = env_identity_providers()
    assert cbd["provider_id"] == "cbd" and cbd["settings"]["server_url"] == "https://accounts.cbd.example"
    assert cbd["settings"]["email_authentication"] is False and cbd["secret"] == ""
    assert kenya["provider_id"] == "kenya-ecitizen" and kenya["settings"]["email_authentication"] is True


CBD = {"OIDC_PROVIDERS": "cbd", "OIDC_CBD_NAME": "CBD", "OIDC_CBD_CLIENT_ID": "clearinghouse"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"OIDC_PROVIDERS": "CBD!"}, "is not a provider id"),
        ({"OIDC_PROVIDERS": "cbd", "OIDC_CBD_NAME": "CBD"}, "OIDC_CBD_ISSUER, OIDC_CBD_CLIENT_ID is not set"),
        ({**CBD, "OIDC_CBD_ISSUER": "http://id.example"}, "must be an https address"),
        (
            {**CBD, "OIDC_CBD_ISSUER": "https://id.example", "OIDC_CBD_TRUST_EMAIL": "maybe"},
            "OIDC_CBD_TRUST_EMAIL must be one of",
        ),
    ],
)
def test_a_wrong_provider_setting_stops_the_start_saying_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=re.escape(message)):
        env_identity_providers()
