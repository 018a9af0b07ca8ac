"""403, 404, 500 and refused-form pages: in the reader's language, in the site's layout, each
with a way on; under /api/ the API's JSON errors instead."""

from __future__ import annotations

import json
from collections.abc import Collection
from html.parser import HTMLParser
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings

from clearinghouse.accounts.errors import permission_denied
from clearinghouse.core import errors
from clearinghouse.core.testing import World


class _Text(HTMLParser):
    """The visible text of a page's <main> and <title>, one entry per text node."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.in_title = False
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "main":
            self.depth += 1
        self.in_title = self.in_title or tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and (self.depth or self.in_title):
            self.texts.append(text)


def texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts


def assert_no_english(english: str, translated: str, ignore: Collection[str] = ()) -> None:
    """No sentence of the English page is left in the translated one (but ``ignore``: values
    that are the same in every language, such as addresses)."""
    page = " ".join(texts(translated))
    left = [text for text in texts(english) if len(text) > 3 and text in page and text not in ignore]
    assert not left, left


def assert_in_layout(html: str, lang: str) -> None:
    assert f'<html lang="{lang}"' in html
    # The site's header, language bar and footer: the page is inside the shell.
    assert 'class="site-header"' in html
    assert 'class="lang-bar"' in html
    assert 'class="site-footer"' in html
    assert 'class="ways-on"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang"), [("fr", "fr"), ("ar", "ar"), ("zh", "zh-Hans")])
def test_a_missing_page_says_so_in_the_language_of_its_address(
    client: Client, prefix: str, lang: str
) -> None:
    english = client.get("/en/no-such-page/")
    response = client.get(f"/{prefix}/no-such-page/")
    assert english.status_code == response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, lang)
    assert 'href="/' + prefix + '/search/"' in html
    assert_no_english(english.content.decode(), html)


@pytest.mark.django_db
def test_the_english_404_offers_search_home_and_sign_in(client: Client) -> None:
    html = client.get("/en/no-such-page/", headers={"referer": "http://testserver/en/plan/"}).content.decode()
    assert "Page not found" in html
    assert 'action="/en/search/"' in html
    assert 'href="/en/accounts/login/?next=/en/no-such-page/"' in html
    # Came from one of our pages: a way back to it.
    assert 'href="http://testserver/en/plan/"' in html


@pytest.mark.django_db
def test_a_way_back_is_offered_only_to_our_own_pages(client: Client) -> None:
    html = client.get(
        "/en/no-such-page/", headers={"referer": "https://elsewhere.example/x"}
    ).content.decode()
    assert "elsewhere.example" not in html


@pytest.mark.django_db
def test_a_person_without_a_role_is_told_how_to_get_one(client: Client, world: World) -> None:
    client.force_login(world.learner)
    english = client.get("/en/matchmaking/")
    assert english.status_code == 403
    html = english.content.decode()
    assert_in_layout(html, "en")
    # The service's own reason, then what to do about it.
    assert "The console is for the help desk." in html
    assert "ask your Party's national focal point or your organisation's editor for access" in html
    assert "Sign in" not in " ".join(texts(html))
    french = client.get("/fr/matchmaking/")
    assert french.status_code == 403
    assert_in_layout(french.content.decode(), "fr")
    assert_no_english(html, french.content.decode())


@pytest.mark.django_db
def test_a_person_with_another_role_is_pointed_to_their_appointments(client: Client, world: World) -> None:
    client.force_login(world.partner_editor)
    html = client.get("/ar/matchmaking/").content.decode()
    assert_in_layout(html, "ar")
    assert 'href="/ar/people/appointments/"' in html


@pytest.mark.django_db
def test_a_refusal_to_someone_not_signed_in_offers_sign_in() -> None:
    request = RequestFactory().get("/es/matchmaking/")
    request.user = AnonymousUser()
    refused = permission_denied(request, PermissionDenied())
    assert refused.status_code == 403
    html = refused.content.decode()
    assert_in_layout(html, "es")
    assert 'href="/es/accounts/login/?next=/es/matchmaking/"' in html
    assert 'href="/es/accounts/signup/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang"), [("fr", "fr"), ("ar", "ar")])
def test_a_form_sent_without_its_security_token_explains_what_to_do(prefix: str, lang: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(f"/{prefix}/accounts/login/")  # sets the cookie, as a browser would
    english = Client(enforce_csrf_checks=True)
    english.get("/en/accounts/login/")
    refused_en = english.post("/en/accounts/login/", {"login": "a@example.org", "password": "x"})
    refused = client.post(f"/{prefix}/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert refused_en.status_code == refused.status_code == 403
    assert "The form could not be sent" in refused_en.content.decode()
    html = refused.content.decode()
    assert_in_layout(html, lang)
    assert_no_english(refused_en.content.decode(), html)


@pytest.mark.django_db
def test_a_form_sent_with_cookies_off_asks_to_allow_them() -> None:
    client = Client(enforce_csrf_checks=True)
    html = client.post("/en/accounts/login/", {"login": "a@example.org"}).content.decode()
    assert "allow them" in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="clearinghouse.core.tests.error_urls")
@pytest.mark.parametrize(("prefix", "lang"), [("en", "en"), ("fr", "fr"), ("ar", "ar"), ("zh", "zh-Hans")])
def test_a_failing_page_gets_a_branded_page_in_its_language(prefix: str, lang: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.get(f"/{prefix}/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert 'class="site-header"' in html
    assert "/static/core/site.css" in html
    assert f'href="/{prefix}/search/"' in html
    if prefix != "en":
        english = client.get("/en/broken/").content.decode()
        assert_no_english(english, html)


@pytest.mark.django_db
def test_the_500_page_asks_nothing_of_the_database(django_assert_num_queries: Any) -> None:
    request = RequestFactory().get("/ru/broken/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert 'lang="ru"' in response.content.decode()


def test_the_500_page_falls_back_to_plain_text_when_its_template_fails() -> None:
    request = RequestFactory().get("/fr/broken/")
    with mock.patch.object(errors.loader, "get_template", side_effect=RuntimeError("broken template")):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert "Something went wrong" not in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="clearinghouse.core.tests.error_urls")
def test_the_api_answers_its_failures_in_json() -> None:
    client = Client(raise_request_exception=False)
    failed = client.get("/api/v1/broken/")
    assert failed.status_code == 500
    assert json.loads(failed.content)["errors"][0]["code"] == "server_error"
    missing = client.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_an_address_without_a_language_gets_the_readers_language(client: Client) -> None:
    response = client.get("/no-such-page", headers={"accept-language": "ru"})
    assert response.status_code == 404
    assert_in_layout(response.content.decode(), "ru")
