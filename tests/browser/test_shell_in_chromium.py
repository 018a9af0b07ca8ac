"""The page shell in a real browser: languages, right-to-left layout, forms without JavaScript,
and the axe accessibility rules."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from clearinghouse.core.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _box(page: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] = page.locator(selector).first.bounding_box()
    return box


def test_home_page_mirrors_in_arabic(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    english_brand = _box(page, ".brand")

    page.goto(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    arabic_brand = _box(page, ".brand")

    # The brand starts the header: at the left edge in English, at the right edge in Arabic.
    width = page.viewport_size["width"]
    assert english_brand["x"] < width / 4
    assert arabic_brand["x"] + arabic_brand["width"] > width * 3 / 4


def test_language_switcher_moves_between_languages(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="العربيّة").click()
    assert page.url == f"{live_server.url}/ar/"
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_sign_in_form_works_without_javascript(chromium: Any, live_server: Any) -> None:
    make_user("karim", "Karim", "Benali")
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("#id_login", "karim@example.org")
    page.fill("#id_password", "karim-passphrase-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/logout/'] button").count() == 1
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/ar/",
        "/en/accounts/login/",
        "/ar/accounts/login/",
        "/en/accounts/signup/",
        "/ar/accounts/signup/",
        "/en/organisations/",
        "/ar/organisations/",
        "/en/needs/",
        "/ar/needs/",
        "/ar/plan/",
        "/en/support/",
        "/ar/search/?q=غابات",
    ],
)
def test_pages_have_no_serious_accessibility_violations(page: Any, live_server: Any, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page)
    serious = [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious
