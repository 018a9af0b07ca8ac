"""A national website (a static page, on another origin) embeds Kenya's records and events with
the lines the snippet generator writes, and Chromium shows them inside the frames."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.widgets.tests.scene import TANZANIAN_TITLE, build

NATIONAL_SITE = Path(__file__).parent / "national_site"
# The origin the page's lines were generated on; the test serves them pointing at its live server.
GENERATED_ON = "https://clearinghouse.example"
EVENTS_CHOICES = {
    "kind": "events",
    "country": "KE",
    "lang": "en",
    "count": "3",
    "title": "Upcoming events in Kenya",
    "accent": "#8a1538",
}


def _frames(page: str) -> list[str]:
    return re.findall(r"<iframe [^>]*></iframe>", page)


@pytest.mark.django_db
def test_the_national_page_holds_the_lines_the_generator_writes(
    client: Client, world: World, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["clearinghouse.example"]
    written = []
    for choices in ({"kind": "records", "country": "KE", "lang": "en"}, EVENTS_CHOICES):
        page = client.get("/en/widgets/", choices, secure=True, headers={"host": "clearinghouse.example"})
        found = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.content.decode(), re.DOTALL)
        assert found is not None
        written.append(html.unescape(found.group(1)))

    assert _frames((NATIONAL_SITE / "kenya.html").read_text()) == written


class _NationalSite(SimpleHTTPRequestHandler):
    """Serves the national page, its frames pointing at the platform under test."""

    platform = ""

    def do_GET(self) -> None:
        body = (NATIONAL_SITE / "kenya.html").read_text().replace(GENERATED_ON, self.platform).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def national_site(live_server: Any) -> Iterator[str]:
    """The national website on a second loopback port: another origin than the platform's."""
    handler = type("KenyaSite", (_NationalSite,), {"platform": live_server.url})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(NATIONAL_SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/kenya.html"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kenyas_records_and_events_show_inside_the_national_website(
    chromium: Any, national_site: str, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    build(world, django_capture_on_commit_callbacks)
    context = chromium.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )

    page.goto(national_site)

    records = page.frame_locator("iframe[title='Capacity-building records']")
    records.get_by_role("link", name="Training customs officers on invasive species").wait_for()
    records.get_by_role("link", name="Training of trainers on invasive alien species").wait_for()
    events = page.frame_locator("iframe[title='Upcoming events in Kenya']")
    events.get_by_role("heading", name="Upcoming events in Kenya").wait_for()
    events.get_by_role("link", name="Training of trainers on invasive alien species").wait_for()
    assert events.get_by_text(TANZANIAN_TITLE).count() == 0
    # The frame's style applies (its hash is allowed): the title takes the website's accent.
    colour = events.get_by_role("heading").evaluate("element => getComputedStyle(element).color")
    assert colour == "rgb(138, 21, 56)"
    # The frames set no cookie in the browser either.
    assert context.cookies() == []
    assert refused == []
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_generator_refreshes_the_line_and_the_preview_as_choices_change(
    chromium: Any, live_server: Any, world: World
) -> None:
    page = chromium.new_page()
    page.goto(f"{live_server.url}/en/widgets/")
    snippet = page.get_by_label("HTML snippet")
    assert "/widgets/records/?lang=en&amp;country=KE" in snippet.input_value()

    page.get_by_label("Widget").select_option("events")

    page.wait_for_function("() => document.querySelector('textarea').value.includes('/widgets/events/')")
    assert (
        page.locator("iframe").get_attribute("src") == f"{live_server.url}/widgets/events/?lang=en&country=KE"
    )
    page.close()
