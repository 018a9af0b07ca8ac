"""A new person, tried as a new person would in a real browser: signs up, verifies the
address, is invited as an authorised user by Kenya's focal point, accepts, turns on two-factor
sign-in, and signs in again with a code from the authenticator app."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail

from clearinghouse.accounts.models import Appointment, Role
from clearinghouse.core.testing import World
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a river runs through 2026"


def _link_in_last_mail(live_server: Any, fragment: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(r"https?://[^/\s]+(/\S*" + re.escape(fragment) + r"\S*)", message.body)
        if match:
            return f"{live_server.url}{match.group(1)}"
    raise AssertionError(f"no e-mail with a link containing {fragment}")


def _totp(secret: str, step: int) -> str:
    now = list(yield_hotp_counters_from_time())[1]  # the middle of the tolerance window
    return format_hotp_value(hotp_value(secret, now + step))


def _sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()


def test_sign_up_invitation_and_two_factor_sign_in(chromium: Any, live_server: Any, world: World) -> None:
    newcomer = chromium.new_context()
    page = newcomer.new_page()

    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Create an account").click()
    page.fill("#id_email", "faith.wambui@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main button[type=submit]").click()
    assert "Verify Your Email Address" in page.content()

    page.goto(_link_in_last_mail(live_server, "/accounts/confirm-email/"))
    page.locator("main button[type=submit]").click()
    assert page.locator("form[action$='/logout/']").count() == 1

    focal_point = chromium.new_context()
    fp_page = focal_point.new_page()
    # A focal point gives the code of their authenticator app after the password.
    sign_in(fp_page, live_server, world.focal_point.email, "wanjiru-passphrase-2026")
    fp_page.goto(f"{live_server.url}/en/people/appointments/")
    fp_page.fill("#id_email", "faith.wambui@example.org")
    fp_page.locator("main form button[type=submit]").first.click()
    assert "Invitation sent to faith.wambui@example.org" in fp_page.content()
    focal_point.close()

    page.goto(_link_in_last_mail(live_server, "/people/invitations/"))
    page.get_by_role("button", name="Accept the invitation").click()
    assert "National authorised user" in page.content()
    appointment = Appointment.objects.get(user__email="faith.wambui@example.org")
    assert (appointment.role, appointment.country_id) == (Role.AUTHORISED_USER, world.kenya.pk)

    page.goto(f"{live_server.url}/en/accounts/2fa/totp/activate/")
    # Signed in by the confirmation link, not a password: asked for it before changing security.
    assert "/accounts/reauthenticate/" in page.url
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", _totp(secret, 0))
    page.locator("main button[type=submit]").click()
    assert page.url.endswith("/accounts/2fa/") or "recovery" in page.url

    page.locator("form[action$='/logout/'] button").click()
    # Signing out first clears the pages kept for reading offline, then leaves: wait until gone.
    page.wait_for_function("() => !document.querySelector(\"form[action$='/logout/']\")")
    _sign_in(page, live_server, "faith.wambui@example.org", PASSWORD)
    assert "/accounts/2fa/authenticate/" in page.url
    page.fill("#id_code", _totp(secret, 1))
    page.get_by_role("button", name="Sign In").click()
    assert page.locator("form[action$='/logout/']").count() == 1
    newcomer.close()
