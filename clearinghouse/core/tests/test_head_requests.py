"""Every address that answers GET answers HEAD too (link checkers, monitors and some browsers
ask with HEAD first; a 405 makes them report the page as broken)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from clearinghouse.core.testing import World

# Values tried for each argument of an address, until one fits its pattern: numbers, words,
# record identifiers and token digests. The records need not exist: a method the view refuses
# is refused before the record is looked up.
CANDIDATES = ("1", "needs", "CB-NEED-KE-000001", "a" * 128, "en", "x")


def named_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.regex.groupindex)


def addresses() -> list[str]:
    found = set()
    for name, arguments in named_patterns(get_resolver()):
        for values in itertools.product(CANDIDATES, repeat=len(arguments)):
            try:
                found.add(reverse(name, kwargs=dict(zip(arguments, values, strict=True))))
                break
            except NoReverseMatch:
                continue
    return sorted(found)


def test_the_walk_reaches_the_addresses_of_every_area() -> None:
    found = addresses()
    assert len(found) > 100
    for address in ("/en/", "/en/search/", "/en/needs/", "/en/plan/", "/api/v1/languages/", "/healthz"):
        assert address in found


# Which methods an address allows is the view's, whatever the database: walked once, in the first run.
@pytest.mark.single_run
@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["public", "signed-in"])
def test_every_address_that_answers_get_answers_head(client: Client, world: World, signed_in: bool) -> None:
    if signed_in:
        # A person without a role: the sign-in wall is passed, the method check is reached.
        client.force_login(world.learner)
    refused = []
    for address in addresses():
        if client.get(address).status_code == 405:
            continue  # an address for forms only (POST)
        if client.head(address).status_code == 405:
            refused.append(address)
    assert not refused, refused


@pytest.mark.django_db
def test_browsers_asking_for_the_icon_find_one(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    # A real icon file: ICO's header (reserved 0, type 1).
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # type: ignore[attr-defined]
    assert client.head("/favicon.ico").status_code == 302


@pytest.mark.django_db
def test_every_page_names_its_icon(client: Client) -> None:
    html = client.get("/fr/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">' in html
    svg = client.get("/static/core/favicon.svg")
    assert svg.status_code == 200
    assert b"<svg" in b"".join(svg.streaming_content)  # type: ignore[attr-defined]
