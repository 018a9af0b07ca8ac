"""About, Contact and Privacy: linked from every page's footer, in the reader's language, with
the contacts and retention periods the settings give."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.core.tests.test_error_pages import assert_no_english

PAGES = ["about", "contact", "privacy"]


@pytest.mark.django_db
def test_every_page_links_to_about_contact_and_privacy(client: Client) -> None:
    html = client.get("/ru/search/").content.decode()
    for page in PAGES:
        assert f'href="/ru/{page}/"' in html


# Words that French writes as English does.
SAME_WORDS = {"Contact", "Organisations", "security.txt"}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("prefix", ["fr", "ar", "zh"])
def test_the_pages_are_in_the_readers_language(client: Client, page: str, prefix: str, settings: Any) -> None:
    # The contacts are the same in every language (and the postal address is English).
    settings.CONTACT_ADDRESS = []
    contacts = {settings.CONTACT_EMAIL, settings.HELPDESK_EMAIL}
    english = client.get(f"/en/{page}/")
    translated = client.get(f"/{prefix}/{page}/")
    assert english.status_code == translated.status_code == 200
    assert_no_english(english.content.decode(), translated.content.decode(), ignore=contacts | SAME_WORDS)


@pytest.mark.django_db
def test_about_names_the_decision_and_links_only_to_what_exists(client: Client) -> None:
    html = client.get("/en/about/").content.decode()
    assert "decision XIII/23" in html
    for address in ("/en/needs/", "/en/support/", "/en/plan/", "/en/search/", "/en/organisations/"):
        assert f'href="{address}"' in html
        assert client.get(address).status_code == 200


@pytest.mark.django_db
def test_contact_gives_the_addresses_from_the_settings(client: Client, settings: Any) -> None:
    settings.CONTACT_EMAIL = "secretariat@example.org"
    settings.HELPDESK_EMAIL = "helpdesk@example.org"
    settings.CONTACT_ADDRESS = ["Secretariat", "Montreal"]
    html = client.get("/es/contact/").content.decode()
    assert 'href="mailto:secretariat@example.org"' in html
    assert 'href="mailto:helpdesk@example.org"' in html
    assert "Secretariat<br>Montreal" in html


@pytest.mark.django_db
def test_privacy_states_the_retention_the_settings_give(client: Client, settings: Any) -> None:
    settings.SIGN_IN_RECORDS_DAYS = 30
    settings.SESSION_COOKIE_AGE = 14 * 86400
    html = client.get("/en/privacy/").content.decode()
    assert "30 days, then deleted." in html
    assert "14 days after you sign in at most" in html
    for held in ("E-mail addresses", "Second factors", "API tokens", "Saved searches", "Sign-in records"):
        assert held in html


@pytest.mark.django_db
def test_privacy_offers_the_download_and_closing_to_a_signed_in_person(client: Client, world: World) -> None:
    assert 'href="/en/people/data/"' not in client.get("/en/privacy/").content.decode()
    client.force_login(world.learner)
    html = client.get("/en/privacy/").content.decode()
    assert 'href="/en/people/data/"' in html
    assert 'href="/en/people/close/"' in html
