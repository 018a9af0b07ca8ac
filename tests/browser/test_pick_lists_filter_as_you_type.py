"""Long pick lists narrow as a person types, in Arabic too: the profile's languages (a multiple
select) and country (a single select)."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.core.testing import make_country, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_narrows_the_languages_and_countries_in_arabic(chromium: Any, live_server: Any) -> None:
    make_country("KE", "KEN", {"ar": "كينيا", "en": "Kenya"})
    make_country("EG", "EGY", {"ar": "مصر", "en": "Egypt"})
    make_user("layla", "Layla", "Haddad", language="ar")
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.fill("#id_login", "layla@example.org")
    page.fill("#id_password", "layla-passphrase-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ar/people/profile/")

    languages = page.locator("#id_languages_spoken")
    total = languages.locator("option").count()
    assert total > 100
    page.fill("#id_languages_spoken_filter", "فرنس")  # French, as Arabic names it
    visible = languages.evaluate("s => [...s.options].filter(o => !o.hidden).map(o => o.value)")
    assert "fr" in visible and len(visible) < 5
    page.fill("#id_languages_spoken_filter", "")
    assert languages.evaluate("s => [...s.options].filter(o => !o.hidden).length") == total

    # A single select takes the first match, so typing is enough to choose.
    page.fill("#id_country_filter", "كيني")
    assert page.locator("#id_country option:checked").inner_text() == "كينيا"
    assert page.locator("#id_country option", has_text="مصر").evaluate("o => o.hidden")
    context.close()
