"""Helpers for the browser tests (Playwright): waiting for what a page or a worker does in its
own time, and a browser context signed in as someone."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.test import Client


def eventually(check: Callable[[], Any], seconds: float = 20) -> Any:
    """Call ``check`` until it returns something true, and return that."""
    deadline = time.monotonic() + seconds
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not so after {seconds} s")
        time.sleep(0.1)
    return result


def until(page: Any, expression: str, seconds: float = 20) -> Any:
    """Wait until a JavaScript expression is true in ``page``. Unlike Playwright's
    ``wait_for_function``, which takes a promise for a true value, this waits for what a
    promise resolves to (the Cache API and IndexedDB answer with promises)."""
    return eventually(lambda: page.evaluate(expression), seconds)


def sign_in(context: Any, live_server: Any, user: Any) -> None:
    """Give the browser context ``user``'s session (in place of any other's)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def signed_in_context(browser: Any, live_server: Any, user: Any, **options: Any) -> Any:
    """A new browser context carrying ``user``'s session cookie for the live server."""
    context = browser.new_context(**options)
    sign_in(context, live_server, user)
    return context
