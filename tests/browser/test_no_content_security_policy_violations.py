"""Pages under the Content-Security-Policy, in a real browser: the home page, a search driven
by htmx, the API docs (Swagger UI), the browsable API, the admin and an account page load and
work without one violation of the policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from clearinghouse.accounts.models import User
from clearinghouse.core.testing import give_second_factor
from tests.browser.pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "admin-passphrase-2026"

# Installed before any page script: the browser reports each refused script, style or load as
# a securitypolicyviolation event, whichever way the page tried it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


class Watched:
    """A page whose policy violations and header problems are collected as it goes."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text or "Permissions policy" in text:
            self.console.append(text)

    def violations(self) -> list[str]:
        return [*self.page.evaluate("window.__violations"), *self.console]


@pytest.fixture
def watched(chromium: Any) -> Iterator[Watched]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    yield Watched(context.new_page())
    context.close()


def test_the_home_page_loads_without_violations(watched: Watched, live_server: Any) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/en/")
    page.wait_for_function("() => window.htmx !== undefined")
    # htmx is configured not to write its indicator styles inline (the policy would refuse them).
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.locator("style").count() == 0
    assert watched.violations() == []


def test_a_search_driven_by_htmx_runs_without_violations(watched: Watched, live_server: Any) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/en/search/")
    page.locator("form[role=search] input[type=search], form[role=search] input[name=q]").first.fill("forest")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").first.click()
    assert "q=forest" in page.url
    page.wait_for_function("() => window.htmx !== undefined")
    # htmx fetches the results again and swaps them in, as its attributes on a page do.
    page.evaluate(
        """() => new Promise((resolve) => {
            document.body.addEventListener("htmx:afterSwap", resolve, {once: true});
            htmx.ajax("GET", window.location.href, {target: "main", select: "main", swap: "outerHTML"});
        })"""
    )
    expect(page.locator("main form[role=search]")).to_have_count(1)
    assert watched.violations() == []


def test_the_api_docs_render_without_violations(watched: Watched, live_server: Any) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/api/v1/docs/")
    # Swagger UI builds the page from the schema: the title appears only once its inline
    # start-up script (nonced) has run and the schema has loaded.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Clearinghouse API", timeout=15_000)
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert watched.violations() == []


def test_the_browsable_api_renders_without_violations(watched: Watched, live_server: Any) -> None:
    page = watched.page
    page.goto(f"{live_server.url}/api/v1/countries/")
    expect(page.locator(".response-info")).to_be_visible()
    # The filters dialog needs the browsable API's own scripts (jQuery, Bootstrap).
    page.get_by_role("button", name="Filters").click()
    expect(page.locator("#filtersModal")).to_be_visible()
    assert watched.violations() == []


def test_the_admin_and_account_pages_work_without_violations(watched: Watched, live_server: Any) -> None:
    admin = User.objects.create_superuser("zawadi", email="zawadi@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    give_second_factor(admin)  # the admin's staff need one before acting
    page = watched.page
    sign_in(page, live_server, admin.email, PASSWORD)

    page.goto(f"{live_server.url}/en/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{live_server.url}/en/admin/accounts/user/")
    # The changelist's action bar is driven by the admin's JavaScript.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    page.goto(f"{live_server.url}/en/admin/accounts/user/{admin.pk}/change/")
    expect(page.locator("#user_form, form#user_form, #content-main form").first).to_be_visible()
    # allauth's account pages hand their data to its static scripts as JSON blocks, not inline code.
    page.goto(f"{live_server.url}/en/accounts/email/")
    expect(page.locator("main form").first).to_be_visible()
    assert watched.violations() == []
