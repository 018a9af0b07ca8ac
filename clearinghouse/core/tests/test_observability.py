"""Request ids in responses, logs and the error page; the metrics scrape and who may read it."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from django_guid import clear_guid, set_guid

from clearinghouse.core import errors, jobs
from clearinghouse.core.logs import JsonLogFormatter, RequestIdFilter
from clearinghouse.core.models import Job
from clearinghouse.core.tests.queues import Queue
from clearinghouse.env import env_choice

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """What Django's request logger writes, through the platform's filter and JSON format."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonLogFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_each_response_carries_a_request_id_of_its_own(client: Client) -> None:
    first = client.get("/en/")["X-Request-ID"]
    second = client.get("/en/")["X-Request-ID"]
    assert HEX_ID.match(first) and HEX_ID.match(second) and first != second


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client: Client) -> None:
    from_proxy = uuid.uuid4().hex
    assert client.get("/en/", HTTP_X_REQUEST_ID=from_proxy)["X-Request-ID"] == from_proxy
    replaced = client.get("/en/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert HEX_ID.match(replaced)


@pytest.mark.django_db
def test_a_log_line_written_while_a_request_is_served_carries_its_id(
    client: Client, request_log: io.StringIO
) -> None:
    sent = uuid.uuid4().hex
    client.get("/en/no-such-page/", HTTP_X_REQUEST_ID=sent)
    line = json.loads(request_log.getvalue().splitlines()[-1])
    assert line["request_id"] == sent
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert "/en/no-such-page/" in line["message"] and line["time"]


def test_a_json_log_line_holds_the_traceback_and_a_dash_outside_requests() -> None:
    formatter = JsonLogFormatter()
    try:
        raise RuntimeError("the queue is gone")
    except RuntimeError:
        record = logging.getLogger("clearinghouse").makeRecord(
            "clearinghouse", logging.ERROR, __file__, 1, "job failed", (), sys.exc_info()
        )
    RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "-" and line["message"] == "job failed"
    assert "RuntimeError: the queue is gone" in line["exc_info"]


def test_the_error_page_gives_the_reference_the_logs_know_the_request_by() -> None:
    set_guid("0123456789abcdef0123456789abcdef")
    try:
        response = errors.server_error(RequestFactory().get("/fr/needs/"))
    finally:
        clear_guid()
    assert response.status_code == 500
    assert "0123456789abcdef0123456789abcdef" in response.content.decode()


@pytest.mark.django_db
def test_metrics_count_requests_and_jobs_waiting_for_a_scraper_on_this_host(client: Client) -> None:
    client.get("/en/")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert re.search(r'^django_http_requests_total_by_method_total\{method="GET"\} [1-9]', text, re.M)
    assert re.search(r"^clearinghouse_jobs_waiting \d", text, re.M)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.7"},
        # Relayed by the proxy from outside: its own address is this host's.
        {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"HTTP_X_REAL_IP": "203.0.113.7"},
    ],
)
def test_metrics_are_refused_to_anyone_else_without_the_token(
    client: Client, headers: dict[str, str]
) -> None:
    response = client.get("/metrics", **headers)
    assert response.status_code == 403
    assert b"django_http" not in response.content


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret-token-for-prometheus")
def test_with_a_token_set_metrics_are_read_with_it_from_anywhere(client: Client) -> None:
    outside = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get("/metrics", **outside).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 403
    # The token replaces the host rule: no token, no metrics, even here.
    assert client.get("/metrics").status_code == 403
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus", **outside)
    assert allowed.status_code == 200 and b"clearinghouse_jobs_waiting" in allowed.content


def test_an_unknown_log_format_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of text, json"):
        env_choice("LOG_FORMAT", "text", ("text", "json"))
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert env_choice("LOG_FORMAT", "text", ("text", "json")) == "json"


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ALLOWED_HOSTS=["app1.internal"],
)
def test_behind_tls_the_scraper_reads_metrics_over_plain_http_on_the_private_side() -> None:
    client = Client(HTTP_HOST="app1.internal")
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics/").status_code == 301


@pytest.mark.django_db
def test_metrics_give_the_ledgers_jobs_and_workers(
    client: Client, queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("clearinghouse.core.metrics.HUEY", queue.huey)
    queue.tasks["index_record"]("needs:1")
    queue.tasks["index_record"]("needs:2")
    Job.objects.filter(pk=Job.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        due_at=timezone.now() - timedelta(seconds=120)
    )
    queue.tasks["fail"]("the index is gone")
    jobs.beat(jobs.current_worker())
    queue.work()  # runs the first job due

    text = client.get("/metrics").content.decode()
    figures = dict(re.findall(r"^(clearinghouse_\w+) ([0-9.e+]+)$", text, re.M))
    assert float(figures["clearinghouse_jobs_waiting"]) == 2
    assert float(figures["clearinghouse_jobs_due"]) == 2
    assert float(figures["clearinghouse_workers_alive"]) == 1
    assert float(figures["clearinghouse_jobs_oldest_due_seconds"]) >= 0
    queue.work()
    queue.work()
    figures = dict(
        re.findall(r"^(clearinghouse_\w+) ([0-9.e+]+)$", client.get("/metrics").content.decode(), re.M)
    )
    assert float(figures["clearinghouse_jobs_failed"]) == 1
    assert float(figures["clearinghouse_jobs_due"]) == 0
