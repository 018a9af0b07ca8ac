"""Metrics in Prometheus's text format, at /metrics.

django-prometheus counts requests and times them by view, method and status in each process
(summed across gunicorn's workers through PROMETHEUS_MULTIPROC_DIR); the platform's own figures
(jobs waiting, failed, live workers) are read when Prometheus asks, so every host reports the shared state
it sees.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from huey.contrib.djhuey import HUEY
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from clearinghouse.core import jobs

logger = logging.getLogger(__name__)

# Headers a proxy adds: a request that carries one came from outside through it.
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


class PlatformCollector:
    """The platform's state as gauges, read at each scrape: the queue's length and, from the job
    ledger (core/jobs.py), the jobs due, the oldest one's wait, failed jobs and live workers."""

    def collect(self) -> Iterator[Metric]:
        try:
            queued = HUEY.pending_count()
        except Exception:
            logger.exception("metrics: the job queue could not be read")
        else:
            yield _gauge("clearinghouse_jobs_waiting", "Background jobs waiting in the queue.", queued)
        if HUEY.immediate:
            return  # Jobs run inside the request: no ledger, no workers.
        try:
            state = jobs.queue_state()
        except Exception:
            logger.exception("metrics: the job ledger could not be read")
            return
        yield _gauge("clearinghouse_jobs_due", "Jobs due and not started (job ledger).", state.waiting)
        yield _gauge(
            "clearinghouse_jobs_oldest_due_seconds",
            "How long the oldest job due has waited (0 when none).",
            state.oldest_waiting_seconds or 0,
        )
        yield _gauge(
            "clearinghouse_jobs_failed",
            "Jobs failed and waiting for a person to run them again.",
            state.failed,
        )
        yield _gauge("clearinghouse_workers_alive", "Workers whose heartbeat is recent.", state.live_workers)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation)
    gauge.add_metric([], value)
    return gauge


def exposition() -> bytes:
    """Every metric, in Prometheus's text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
    else:
        processes = REGISTRY
    platform = CollectorRegistry()
    platform.register(PlatformCollector())
    return generate_latest(processes) + generate_latest(platform)


def may_read_metrics(request: HttpRequest) -> bool:
    """With METRICS_TOKEN set, whoever sends it as a bearer token; without, only a scraper on this
    host asking directly (a request relayed by the proxy carries its forwarding headers)."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip(), token)
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_response() -> HttpResponse:
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
