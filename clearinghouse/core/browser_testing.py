"""Helpers for the browser tests (Playwright): waiting for what a page or a worker does in its
own time, and a browser context signed in as someone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


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


class OneRequestAtATime:
    """A WSGI application that lets one request in at a time, its body read before the next.

    On SQLite the test database lives in memory, and the live server's threads all use the test's
    one connection: two requests at once (a page's sign-in and the service worker fetching the page
    in the background) run inside each other's transactions, and one's rollback or commit undoes or
    cuts short the other's writes (a session row gone: signed out at random). Django's
    documentation warns of this; PostgreSQL gives each thread a connection of its own."""

    def __init__(self, application: WSGIApplication) -> None:
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            response = self.application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()


class SerialWSGIServer(ThreadedWSGIServer):
    """The live server's threaded server (keep-alive connections wait in their own threads), its
    requests handled one at a time."""

    def set_app(self, application: WSGIApplication | None) -> None:
        super().set_app(OneRequestAtATime(application) if application is not None else None)


def serve_one_request_at_a_time() -> None:
    """Make every live server of this test run a ``SerialWSGIServer`` (pytest-django builds
    Django's ``LiveServerThread`` itself, so the class is changed rather than subclassed)."""
    # django-stubs leave the class attribute out.
    LiveServerThread.server_class = SerialWSGIServer  # type: ignore[attr-defined]
