"""The outbox page speaks the reader's language and says what happens without JavaScript;
every page links it and names the script the service worker imports."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from clearinghouse.core.testing import World

pytestmark = pytest.mark.django_db


def test_without_javascript_the_page_says_forms_work_as_usual(client: Client) -> None:
    html = client.get("/en/outbox/").content.decode()
    assert "The outbox needs JavaScript" in html and "Forms work as usual" in html
    # The list and its words are there for the script, hidden until it runs.
    assert '<div class="outbox" data-outbox-page hidden>' in html
    assert 'data-status="failed">Failed<' in html


def test_the_arabic_page_reads_right_to_left(client: Client) -> None:
    html = client.get("/ar/outbox/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>صندوق الصادر</h1>" in html


def test_every_page_links_the_outbox_and_names_its_script(client: Client) -> None:
    html = client.get("/fr/about/").content.decode()
    assert '<a class="outbox-link" href="/fr/outbox/">Boîte d’envoi' in html
    assert '<body data-outbox-script="/static/outbox/outbox.js" data-person="">' in html
    assert "Enregistré dans votre boîte d’envoi" in html, "the notices the script shows, translated"


def test_the_token_for_replays_is_never_cached(client: Client) -> None:
    response = client.get("/outbox/token")
    assert "no-store" in response["Cache-Control"]
    assert len(response.json()["token"]) == 64
    assert client.post("/outbox/token").status_code == 405


def _person_on_page(client: Client) -> str:
    found = re.search(r'<body [^>]*data-person="([^"]*)"', client.get("/en/about/").content.decode())
    assert found is not None
    return found.group(1)


def test_pages_and_the_token_name_the_same_person_by_a_key_that_tells_nothing(world: World) -> None:
    """A shared browser sends and shows each person only their own forms: the page and the
    replay token carry the same opaque key for the signed-in person, and none for others."""
    client = Client()
    assert _person_on_page(client) == "" and client.get("/outbox/token").json()["person"] == ""
    client.force_login(world.focal_point)
    key = _person_on_page(client)
    assert re.fullmatch(r"[0-9a-f]{24}", key)
    assert world.focal_point.username not in key
    assert client.get("/outbox/token").json()["person"] == key
    other = Client()
    other.force_login(world.learner)
    assert _person_on_page(other) not in {"", key}
