"""Pages stay light for slow links: a first visit transfers at most 100 KB compressed.

Each page is measured as a first visit would load it: the HTML plus every stylesheet, script and
image it references, each gzip-compressed as the server sends it (whitenoise also offers
Brotli, which is smaller still).
"""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

BUDGET_BYTES = 100 * 1024
MAIN_PAGES = [
    "/en/",
    "/ar/",
    "/zh/",
    "/fr/",
    "/ru/",
    "/es/",
    "/en/accounts/login/",
    "/ar/accounts/login/",
    "/en/accounts/signup/",
    "/en/organisations/",
    "/ar/organisations/",
    "/en/needs/",
    "/ar/needs/offline/",
    "/fr/support/",
    "/ar/plan/",
    "/en/search/?q=forest",
]


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") in {"stylesheet", "icon", "preload"}:
            self.urls.append(attributes["href"] or "")
        elif tag in {"script", "img"} and attributes.get("src"):
            self.urls.append(attributes["src"] or "")


def _body(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.content


def transfer_size(client: Client, page: str) -> int:
    html = _body(client, page)
    parser = _Assets()
    parser.feed(html.decode())
    return sum(len(gzip.compress(_body(client, url))) for url in [page, *parser.urls])


@pytest.mark.django_db
@pytest.mark.parametrize("page", MAIN_PAGES)
def test_first_visit_transfers_at_most_100_kb(client: Client, page: str) -> None:
    size = transfer_size(client, page)
    assert size <= BUDGET_BYTES, f"{page} transfers {size} bytes compressed"


# Pages for signed-in people, measured as the help desk sees them (the console is theirs).
SIGNED_IN_PAGES = ["/en/matchmaking/", "/ar/matchmaking/", "/en/matchmaking/mine/", "/ar/matchmaking/mine/"]


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_pages_transfer_at_most_100_kb(client: Client, world: Any, page: str) -> None:
    client.force_login(world.helpdesk_agent)
    size = transfer_size(client, page)
    assert size <= BUDGET_BYTES, f"{page} transfers {size} bytes compressed"


@pytest.mark.django_db
def test_the_measure_counts_the_assets(client: Client) -> None:
    # Guards the measure itself: the home page's assets must be found and counted.
    html_only = len(gzip.compress(_body(client, "/en/")))
    assert transfer_size(client, "/en/") > html_only + 10_000
