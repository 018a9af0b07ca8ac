"""Reading offline in Chromium: pages visited online open offline with their banner, a page
never visited opens the offline reading page, a kept event is found by searching offline (in
Arabic too), and a new release replaces the shell cache."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from clearinghouse.core.browser_testing import signed_in_context, until
from clearinghouse.core.testing import build_world
from clearinghouse.events.tests.factories import published
from clearinghouse.offline import shell, views
from clearinghouse.offline.tests.browser import STORED_URLS, go_offline, offline_copy, visit
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHELL_CACHES = "caches.keys().then((names) => names.filter((name) => name.startsWith('clearinghouse-shell')))"


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
    visit(page, f"{live_server.url}/en/")
    visit(page, f"{live_server.url}/en/about/")
    visit(page, f"{live_server.url}/en/events/{event.identifier}/")
    page.click("text=Keep offline")
    page.wait_for_selector("text=Kept: this page and its documents open without a connection")
    expect(page.get_by_text("Remove from offline")).to_be_visible()
    expect(page.get_by_text("Keep offline", exact=True)).to_be_hidden()

    go_offline(context)
    banner = offline_copy(page, f"{live_server.url}/en/about/")
    # The date the copy was stored, written as the reader's language writes dates.
    today = page.evaluate("new Intl.DateTimeFormat('en', {dateStyle: 'long'}).format(new Date())")
    expect(banner).to_have_text(re.compile(f"^Offline copy from {re.escape(today)}"))

    # Never visited: the offline reading page stands in, and says why.
    page.goto(f"{live_server.url}/en/contact/", wait_until="domcontentloaded")
    assert page.locator("h1").inner_text() == "Offline reading"
    assert page.locator("[data-not-stored]").is_visible()
    assert page.locator(".offline-banner").get_attribute("data-served") == "fallback"
    # The lists are filled from the browser's store after the page loads: expect() waits for them.
    expect(page.locator("[data-visited-list] a", has_text="About")).to_have_count(1)
    page.fill("#offline-query", "IDENTIFYING invasive")
    expect(page.locator("[data-kept-list] a")).to_have_text(["Training on invasive alien species"])
    page.fill("#offline-query", "coral reefs")
    expect(page.locator("[data-kept-list] a")).to_have_count(0)
    expect(page.locator("[data-no-match]")).to_be_visible()

    expect(offline_copy(page, f"{live_server.url}/en/events/{event.identifier}/")).to_be_visible()
    assert "Five days on identifying invasive species." in page.locator("main").inner_text()
    assert errors == []
    context.close()


def test_in_arabic_the_banner_reads_right_to_left_and_search_ignores_hamza(
    chromium: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    load_vocabularies(data_files())
    event = published(world, {"title": "تدريب على الأنواع الغريبة الغازية"}, language="ar")
    context = signed_in_context(chromium, live_server, world.learner)
    page = context.new_page()
    visit(page, f"{live_server.url}/ar/")
    visit(page, f"{live_server.url}/ar/work/")
    visit(page, f"{live_server.url}/ar/events/{event.identifier}/")
    page.click("[data-keep] button")
    page.wait_for_selector("[data-unkeep]:visible")

    go_offline(context)
    banner = offline_copy(page, f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    today = page.evaluate("new Intl.DateTimeFormat('ar', {dateStyle: 'long'}).format(new Date())")
    expect(banner).to_have_text(re.compile(f"^نسخة محفوظة دون اتصال بتاريخ {re.escape(today)}"))
    # The person's dashboard too.
    expect(offline_copy(page, f"{live_server.url}/ar/work/")).to_be_visible()
    page.goto(f"{live_server.url}/ar/offline/", wait_until="domcontentloaded")
    # Stored without the person's cookies: the stand-in page outlives a sign-out.
    assert page.locator("body").get_attribute("data-person") == ""
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
    until(page, f"{SHELL_CACHES}.then((names) => names.join() === '{next_release}')")

    # Signing out leaves nothing of the person in this browser (a shared computer).
    page.goto(f"{live_server.url}/ar/work/")
    with page.expect_navigation():
        page.click("form[data-offline-clear] button")
    assert not page.evaluate("caches.has('clearinghouse-kept')")
    # The page shown after signing out may be stored afresh; none from before is left.
    stored = page.evaluate(STORED_URLS)
    assert not any("/work/" in url or "/events/" in url for url in stored), stored
    assert page.evaluate("self.ClearinghouseOffline.kept.all()") == []
    context.close()
