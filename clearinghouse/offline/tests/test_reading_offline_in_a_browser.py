"""Reading offline in Chromium: pages visited online open offline with their banner, a page
never visited opens the offline reading page, a kept event is found by searching offline (in
Arabic too), and a new release replaces the shell cache."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from clearinghouse.core.testing import build_world
from clearinghouse.events.tests.factories import published
from clearinghouse.offline import shell, views
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = "caches.open('clearinghouse-pages')"
STORED = f"{PAGES}.then((cache) => cache.match(location.href)).then(Boolean)"
SHELL_CACHES = "caches.keys().then((names) => names.filter((name) => name.startsWith('clearinghouse-shell')))"


def _controlled(page: Any) -> None:
    """Wait until the worker is installed and has stored the page that came before it."""
    page.wait_for_function(STORED)


def _go_offline(context: Any, page: Any) -> None:
    """Cut the network, and wait until every service worker of the context has lost it too:
    Chromium applies the emulated offline state to each worker's own target, a moment later,
    and a worker installed or restarted meanwhile (a new version beside the old) starts online."""
    context.set_offline(True)
    for _attempt in range(50):
        workers = context.service_workers
        if workers and all(
            worker.evaluate("fetch('/healthz').then(() => false, () => true)") for worker in workers
        ):
            return
        context.set_offline(True)
        page.wait_for_timeout(100)
    pytest.fail("a service worker still reaches the network")


def _offline_goto(context: Any, page: Any, url: str) -> None:
    """Open ``url`` offline. Chromium's emulated offline state belongs to a worker's target: a
    worker the browser stopped and started again meanwhile is online until it is cut again, and
    answers from the network (never so on a real device, whose network is down for everyone)."""
    for _attempt in range(5):
        page.goto(url, wait_until="domcontentloaded")
        if page.locator(".offline-banner").get_attribute("data-served") == "cache":
            return
        _go_offline(context, page)


def _visit(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function(STORED)


def test_visited_and_kept_pages_open_offline_with_their_date(chromium: Any, live_server: Any) -> None:
    world = build_world()
    load_vocabularies(data_files())
    event = published(world, {"description": "<p>Five days on identifying invasive species.</p>"})
    # Without JavaScript the page is as it was: no button that could do nothing.
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/events/{event.identifier}/")
    assert page.get_by_text("Keep offline").is_hidden()
    assert page.locator(".offline-banner").is_hidden()
    context.close()

    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/en/")
    _controlled(page)
    _visit(page, f"{live_server.url}/en/about/")
    _visit(page, f"{live_server.url}/en/events/{event.identifier}/")
    page.click("text=Keep offline")
    page.wait_for_selector("text=Kept: this page and its documents open without a connection")
    expect(page.get_by_text("Remove from offline")).to_be_visible()
    expect(page.get_by_text("Keep offline", exact=True)).to_be_hidden()

    _go_offline(context, page)
    # Offline, a page is read once its document and deferred scripts are in: nothing waits for
    # the subresources a cut network may never answer.
    page.goto(f"{live_server.url}/en/about/", wait_until="domcontentloaded")
    banner = page.locator(".offline-banner")
    # The date the copy was stored, written as the reader's language writes dates.
    today = page.evaluate("new Intl.DateTimeFormat('en', {dateStyle: 'long'}).format(new Date())")
    expect(banner).to_have_text(re.compile(f"^Offline copy from {re.escape(today)}"))

    # Never visited: the offline reading page stands in, and says why.
    page.goto(f"{live_server.url}/en/contact/", wait_until="domcontentloaded")
    assert page.locator("h1").inner_text() == "Offline reading"
    assert page.locator("[data-not-stored]").is_visible()
    # The lists are filled from the browser's store after the page loads: expect() waits for them.
    expect(page.locator("[data-visited-list] a", has_text="About")).to_have_count(1)
    page.fill("#offline-query", "IDENTIFYING invasive")
    expect(page.locator("[data-kept-list] a")).to_have_text(["Training on invasive alien species"])
    page.fill("#offline-query", "coral reefs")
    expect(page.locator("[data-kept-list] a")).to_have_count(0)
    expect(page.locator("[data-no-match]")).to_be_visible()

    page.goto(f"{live_server.url}/en/events/{event.identifier}/", wait_until="domcontentloaded")
    assert "Five days on identifying invasive species." in page.locator("main").inner_text()
    expect(page.locator(".offline-banner")).to_be_visible()
    assert errors == []
    context.close()


def _signed_in(context: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_in_arabic_the_banner_reads_right_to_left_and_search_ignores_hamza(
    chromium: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    load_vocabularies(data_files())
    event = published(world, {"title": "تدريب على الأنواع الغريبة الغازية"}, language="ar")
    context = chromium.new_context()
    _signed_in(context, live_server, world.learner)
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/")
    _controlled(page)
    _visit(page, f"{live_server.url}/ar/work/")
    _visit(page, f"{live_server.url}/ar/events/{event.identifier}/")
    page.click("[data-keep] button")
    page.wait_for_selector("[data-unkeep]:visible")

    _go_offline(context, page)
    _offline_goto(context, page, f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    banner = page.locator(".offline-banner")
    today = page.evaluate("new Intl.DateTimeFormat('ar', {dateStyle: 'long'}).format(new Date())")
    expect(banner).to_have_text(re.compile(f"^نسخة محفوظة دون اتصال بتاريخ {re.escape(today)}"))
    # The person's dashboard too.
    page.goto(f"{live_server.url}/ar/work/", wait_until="domcontentloaded")
    expect(page.locator(".offline-banner")).to_be_visible()
    page.goto(f"{live_server.url}/ar/offline/", wait_until="domcontentloaded")
    # Typed without the hamza and in another case of alef: still found.
    page.fill("#offline-query", "الانواع")
    expect(page.locator("[data-kept-list] a")).to_have_text(["تدريب على الأنواع الغريبة الغازية"])

    # A new release: the worker updates and its activation deletes the old shell cache.
    context.set_offline(False)
    old = page.evaluate(SHELL_CACHES)
    assert len(old) == 1
    real = shell.shell()
    monkeypatch.setattr(views, "shell", lambda: shell.Shell("next-release", real.urls, real.offline_pages))
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    next_release = "clearinghouse-shell-next-release"
    page.wait_for_function(f"{SHELL_CACHES}.then((names) => names.join() === '{next_release}')")

    # Signing out leaves nothing of the person in this browser (a shared computer).
    page.goto(f"{live_server.url}/ar/work/")
    with page.expect_navigation():
        page.click("form[data-offline-clear] button")
    assert not page.evaluate("caches.has('clearinghouse-kept')")
    # The page shown after signing out may be stored afresh; none from before is left.
    stored = page.evaluate(f"{PAGES}.then((cache) => cache.keys()).then((keys) => keys.map((k) => k.url))")
    assert not any("/work/" in url or "/events/" in url for url in stored), stored
    assert page.evaluate("self.ClearinghouseOffline.kept.all()") == []
    context.close()
