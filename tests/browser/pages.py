"""Steps the browser tests share: signing in through the real page, finding a field by its label."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import totp_code


def sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    """The password, then, for an account with a second factor, the authenticator app's code."""
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("#id_code", totp_code(User.objects.get(email=email)))
        # The code page also has a Cancel button (it signs out).
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()
    expect(page.locator("form[action$='/logout/']")).to_have_count(1)


def field(page: Any, label: str) -> Any:
    """The form field with exactly this label (Django's labels end with a colon; a required
    field's label ends with its mark, "*", and "(required)" for assistive technology)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?(?:\s*\*?\s*\(required\))?$"))
