"""Logs an operations team can follow: every line written while a request is served carries the
request's id, from the proxy's ``X-Request-ID`` (nginx's ``$request_id``) or made here
(django-guid). The response returns it and the error page shows it, so a person's report, the
proxy's access log and the application's traceback meet on one key.

Imported by the logging configuration, before the apps are loaded: it imports no models.
"""

from __future__ import annotations

import logging

from django_guid import get_guid
from pythonjsonlogger.json import JsonFormatter


def request_id() -> str:
    """The id of the request being served, or "" outside a request (a job, a command)."""
    return get_guid() or ""


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request), for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


class JsonLogFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request id and, for an error,
    the traceback, which a log collector indexes without parsing text."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
