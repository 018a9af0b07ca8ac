"""The sign-in button in a real browser, under the Content-Security-Policy: Chromium holds the
redirect that follows a form to form-action, so the provider's origin must be allowed there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount

from clearinghouse.accounts.tests.identity_provider import LoopbackProvider, loopback_provider
from clearinghouse.accounts.tests.test_sign_in_with_an_identity_provider import (
    NAME,
    PROVIDER_ID,
    configure,
    person,
)
from clearinghouse.env import origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = JSON.parse(sessionStorage.getItem("violations") || "[]");
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  sessionStorage.setItem("violations", JSON.stringify(window.__violations));
});
"""


@pytest.fixture
def op(live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackProvider]:
    callback = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    with loopback_provider(client_id="clearinghouse", client_secret="secret", redirect_uri=callback) as op:
        configure(settings, monkeypatch, op, trust_email=False)
        yield op


def _with_form_action(settings: Any, sources: list[str]) -> None:
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": sources},
    }


def _click_sign_in(chromium: Any, live_server: Any) -> Any:
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.get_by_role("button", name=f"Se connecter avec {NAME}").click()
    return page


def test_a_person_signs_in_with_the_provider_in_a_browser(
    chromium: Any, live_server: Any, op: LoopbackProvider, settings: Any
) -> None:
    # As settings.py makes it from the providers configured.
    _with_form_action(settings, ["'self'", origin(op.issuer)])
    person(op, "zawadi", "zawadi@example.org")

    page = _click_sign_in(chromium, live_server)

    page.wait_for_url(f"{live_server.url}/fr/work/")
    assert page.evaluate("window.__violations") == []
    assert SocialAccount.objects.get(provider=PROVIDER_ID).user.email == "zawadi@example.org"
    page.context.close()


def test_without_the_providers_origin_in_form_action_the_browser_stops_the_sign_in(
    chromium: Any, live_server: Any, op: LoopbackProvider, settings: Any
) -> None:
    _with_form_action(settings, ["'self'"])
    person(op, "zawadi", "zawadi@example.org")

    page = _click_sign_in(chromium, live_server)

    page.wait_for_function("() => window.__violations && window.__violations.length > 0")
    assert page.evaluate("window.__violations")[0].startswith("form-action")
    assert "/authorize" not in op.requests_seen
    page.context.close()
