"""What the offline browser tests share: waiting until the service worker has stored a page,
cutting the network, and opening a page from its offline copy."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.core.browser_testing import until

PAGES = "caches.open('clearinghouse-pages')"
STORED = f"{PAGES}.then((cache) => cache.match(location.href)).then(Boolean)"
STORED_URLS = f"{PAGES}.then((cache) => cache.keys()).then((keys) => keys.map((key) => key.url))"
CUT = "fetch('/healthz', {cache: 'no-store'}).then(() => false, () => true)"


def visit(page: Any, url: str) -> None:
    """Open ``url`` and wait until the service worker has kept it for reading offline."""
    page.goto(url)
    until(page, STORED, seconds=30)


def go_offline(context: Any) -> None:
    """Cut the network, and wait until each service worker of the context has lost it too
    (Chromium applies the emulated state to a worker's own target a moment later)."""
    context.set_offline(True)
    for _attempt in range(50):
        workers = context.service_workers
        if workers and all(worker.evaluate(CUT) for worker in workers):
            return
        context.set_offline(True)
        context.pages[0].wait_for_timeout(100)
    pytest.fail("a service worker still reaches the network")


def offline_copy(page: Any, url: str) -> Any:
    """Open ``url`` offline and check that its stored copy was shown; return the banner."""
    # Offline, a page is read once its document and deferred scripts are in: nothing waits for
    # the subresources a cut network may never answer.
    page.goto(url, wait_until="domcontentloaded")
    banner = page.locator(".offline-banner")
    assert banner.get_attribute("data-served") == "cache", f"{url} was not shown from its stored copy"
    return banner
