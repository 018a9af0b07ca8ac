"""The offline reading page as the server sends it: the same in every language, useful without
JavaScript (it says what it is for), linked from every page's footer."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_without_javascript_the_page_says_what_it_is_for(client: Client) -> None:
    html = client.get("/en/offline/").content.decode()
    assert "<h1>Offline reading</h1>" in html
    assert "Pages you visit and pages you keep offline can be read here without a connection" in html
    # What needs the browser's store stays hidden until the script fills it.
    assert '<div class="offline-reading" data-offline-reading data-path="/en/offline/" hidden>' in html
    assert "offline/reading.js" in html


def test_every_page_links_the_offline_reading_page_in_its_language(client: Client) -> None:
    html = client.get("/ar/about/").content.decode()
    assert '<a href="/ar/offline/">القراءة دون اتصال</a>' in html
    assert 'data-text="نسخة محفوظة دون اتصال بتاريخ {date}"' in html
