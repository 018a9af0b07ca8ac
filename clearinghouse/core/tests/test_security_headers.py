"""Every response carries the Content-Security-Policy and the other protective headers, and the
pages that need inline code get a nonce for it rather than a policy that lets any inline code
run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rest_framework
from django.test import Client

from clearinghouse.core.security import BROWSABLE_API_STYLE_ATTRIBUTES, source_hash


def _directives(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _assert_strict(directives: dict[str, list[str]]) -> None:
    # Injected markup must not be able to run script or load anything from elsewhere.
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_an_html_page_has_the_strict_policy_without_nonce(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    directives = _directives(response)
    _assert_strict(directives)
    # Nothing on the page asked for a nonce, so none is handed out.
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_page_shell_has_no_inline_script_or_style(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "<style" not in html
    assert not re.search(r"\sstyle=|\son[a-z]+=|javascript:", html)
    # htmx would otherwise add its indicator styles as an inline <style> element.
    assert '"includeIndicatorStyles":false' in html


@pytest.mark.django_db
def test_an_api_response_has_the_policy(client: Client) -> None:
    response = client.get("/api/v1/countries/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    _assert_strict(_directives(response))


@pytest.mark.django_db
def test_the_browsable_api_allows_only_its_own_style_attributes(client: Client) -> None:
    response = client.get("/api/v1/countries/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    directives = _directives(response)
    _assert_strict(directives)
    assert "'unsafe-hashes'" in directives["style-src"]
    html = response.content.decode()
    for value in re.findall(r'\sstyle="([^"]*)"', html):
        assert source_hash(value) in directives["style-src"], value


def test_every_style_attribute_in_the_browsable_api_templates_is_allowed() -> None:
    # A new REST framework release that writes another style attribute fails here, not
    # silently in a reader's browser.
    templates = Path(rest_framework.__file__).parent / "templates" / "rest_framework"
    # The admin renderer and the session sign-in page are not in use here.
    unused = {templates / "admin.html", templates / "login_base.html"}
    written = {
        value
        for template in set(templates.rglob("*.html")) - unused
        for value in re.findall(r'\sstyle="([^"{]*)"', template.read_text())
    }
    assert written <= set(BROWSABLE_API_STYLE_ATTRIBUTES)


@pytest.mark.django_db
def test_the_api_docs_page_nonces_its_inline_script_and_style(client: Client) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    directives = _directives(response)
    _assert_strict(directives)
    nonces = [source for source in directives["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert nonces == [source for source in directives["style-src"] if source.startswith("'nonce-")]
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts == [f' nonce="{nonce}"']
    assert f'<style nonce="{nonce}">' in html
    # A fresh nonce for every response: one seen once is no use to an attacker.
    assert nonce not in client.get("/api/v1/docs/")["Content-Security-Policy"]


@pytest.mark.django_db
def test_an_error_page_has_the_policy(client: Client) -> None:
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    _assert_strict(_directives(response))


@pytest.mark.django_db
def test_the_admin_has_the_policy(client: Client) -> None:
    response = client.get("/en/admin/", follow=True)
    assert response.status_code == 200
    _assert_strict(_directives(response))


@pytest.mark.django_db
def test_powerful_browser_features_are_off_but_passkeys_stay_possible(client: Client) -> None:
    policy = dict(feature.split("=", 1) for feature in client.get("/en/")["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()"
    assert policy["publickey-credentials-create"] == "(self)"
    assert policy["publickey-credentials-get"] == "(self)"


@pytest.mark.django_db
def test_other_sites_learn_no_address_and_get_no_window_handle(client: Client) -> None:
    response = client.get("/en/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
