"""Statements reach a learning record store on loopback that fails, refuses and comes back:
none is lost, none is stored twice, and the worker waits longer after each failure."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from clearinghouse.learning import progress, quizzes, xapi_tasks
from clearinghouse.learning.models import Activity
from clearinghouse.learning.tests.xapi_factories import RIGHT_ANSWERS, enrol, published_course

USER, PASSWORD = "clearinghouse", "lrs-secret"


class Store:
    """What the little LRS does and has seen."""

    def __init__(self) -> None:
        self.fail_next = 0
        self.failure_status = 503
        self.refused_ids: set[str] = set()
        self.stored: dict[str, dict[str, Any]] = {}
        self.accepted_copies = 0
        self.requests = 0
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    store: Store

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the store, not a log."""

    def _answer(self, status: int, body: Any = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # http.server's name
        store = self.store
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with store.lock:
            store.requests += 1
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.path != "/xapi/statements" or self.headers.get("Authorization") != expected:
                return self._answer(401, {"error": "who are you"})
            if self.headers.get("X-Experience-API-Version") != "1.0.3":
                return self._answer(400, {"error": "xAPI version header missing"})
            if store.fail_next:
                store.fail_next -= 1
                return self._answer(store.failure_status, {"error": "down for maintenance"})
            ids = [statement["id"] for statement in body]
            if store.refused_ids & set(ids):
                return self._answer(400, {"error": "statement refused"})
            # A statement the store already holds: 409, as xAPI 1.0.3 allows, and nothing stored.
            if any(i in store.stored for i in ids):
                return self._answer(409, {"error": "conflict"})
            for statement in body:
                store.stored[statement["id"]] = statement
            store.accepted_copies += len(body)
            return self._answer(200, ids)


@pytest.fixture
def lrs() -> Iterator[tuple[Store, str]]:
    store = Store()
    handler = type("BoundHandler", (Handler,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/xapi/"
    with override_settings(
        LEARNING_LRS_ENDPOINT=endpoint, LEARNING_LRS_USERNAME=USER, LEARNING_LRS_PASSWORD=PASSWORD
    ):
        yield store, endpoint
    server.shutdown()
    server.server_close()


def study(world: Any) -> None:
    """A learner reads a lesson and passes the quiz: eight statements recorded."""
    course = published_course(world)
    enrolment = enrol(course, world.learner)
    progress.record(enrolment, "l1", completed=True)
    attempt = quizzes.start(enrolment, "q1")
    quizzes.submit(enrolment, "q1", RIGHT_ANSWERS, attempt=attempt)


def test_a_store_down_three_times_gets_every_statement_once_with_growing_waits(world: Any, lrs: Any) -> None:
    store, _endpoint = lrs
    with override_settings(LEARNING_LRS_ENDPOINT=""):
        study(world)
    recorded = set(Activity.objects.values_list("pk", flat=True))
    assert len(recorded) == 8
    store.fail_next = 3
    now = timezone.now()

    waits = []
    for _failure in range(3):
        report = xapi_tasks.send_pending(now=now)
        assert report.sent == 0
        assert report.failed == 8
        row = Activity.objects.first()
        assert row is not None
        assert row.sent_at is None
        assert "HTTP 503" in row.last_error
        assert row.next_send_at is not None
        waits.append(row.next_send_at - now)
        # Before its time, nothing is tried again: the store is not hammered.
        before = store.requests
        xapi_tasks.send_pending(now=now + waits[-1] - timedelta(seconds=1))
        assert store.requests == before
        now = row.next_send_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert set(Activity.objects.values_list("send_attempts", flat=True)) == {3}

    report = xapi_tasks.send_pending(now=now)
    assert report.sent == 8
    assert not Activity.objects.filter(sent_at__isnull=True).exists()
    assert set(store.stored) == {str(pk) for pk in recorded}
    assert store.accepted_copies == 8
    # Sent once: another run sends nothing more.
    before = store.requests
    assert xapi_tasks.send_pending(now=now + timedelta(hours=1)).sent == 0
    assert store.requests == before


def test_a_store_that_cannot_be_reached_loses_nothing(world: Any) -> None:
    # A port nobody listens on (the fixture's server, closed again).
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    with override_settings(LEARNING_LRS_ENDPOINT=""):
        study(world)
    with override_settings(LEARNING_LRS_ENDPOINT=f"http://127.0.0.1:{port}/xapi"):
        report = xapi_tasks.send_pending()
    assert report.failed == 8
    assert Activity.objects.filter(sent_at__isnull=True).count() == 8
    assert all("ConnectionError" in e for e in Activity.objects.values_list("last_error", flat=True))


def test_one_statement_the_store_refuses_does_not_hold_back_the_others(world: Any, lrs: Any) -> None:
    store, _endpoint = lrs
    with override_settings(LEARNING_LRS_ENDPOINT=""):
        study(world)
    refused = Activity.objects.filter(verb="answered").first()
    assert refused is not None
    store.refused_ids = {str(refused.pk)}
    report = xapi_tasks.send_pending()
    assert report.sent == 7
    assert report.failed == 1
    refused.refresh_from_db()
    assert refused.sent_at is None
    assert refused.send_attempts == 1
    assert "HTTP 400" in refused.last_error
    # The store takes it once the problem is fixed on its side: still there, sent later.
    store.refused_ids = set()
    assert xapi_tasks.send_pending(now=timezone.now() + timedelta(minutes=2)).sent == 1
    assert store.accepted_copies == 8
    assert len(store.stored) == 8


def test_a_statement_the_store_already_holds_counts_as_sent(world: Any, lrs: Any) -> None:
    store, _endpoint = lrs
    with override_settings(LEARNING_LRS_ENDPOINT=""):
        study(world)
    # Sent before a crash that lost our record of it: the store answers 409 for its id.
    first = Activity.objects.order_by("timestamp", "id").first()
    assert first is not None
    store.stored[str(first.pk)] = {"id": str(first.pk)}
    report = xapi_tasks.send_pending()
    assert report.sent == 8
    assert not Activity.objects.filter(sent_at__isnull=True).exists()
    assert store.accepted_copies == 7


def test_activity_is_sent_as_soon_as_it_is_recorded(
    world: Any, lrs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    store, _endpoint = lrs
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        study(world)
    # One job for the whole transaction, not one per statement.
    assert len([c for c in callbacks if c is xapi_tasks._enqueue]) == 1
    assert len(store.stored) == 8
    assert not Activity.objects.filter(sent_at__isnull=True).exists()


def test_without_a_store_nothing_is_sent_and_everything_is_kept(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        override_settings(LEARNING_LRS_ENDPOINT=""),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        study(world)
        assert xapi_tasks.send_pending().sent == 0
    assert xapi_tasks._enqueue not in callbacks
    assert Activity.objects.filter(sent_at__isnull=True).count() == 8


def test_the_wait_doubles_up_to_six_hours() -> None:
    assert [xapi_tasks.delay_after(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert xapi_tasks.delay_after(10) == timedelta(hours=6)
    assert xapi_tasks.delay_after(30000) == timedelta(hours=6)
