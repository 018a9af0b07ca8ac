"""What the platform holds about a person, gathered from every app that holds some.

Each app that keeps personal data registers its part once, in its AppConfig.ready(): a function
that returns that part as JSON-ready values, and, if closing an account must change something
there, a function that does it. accounts never imports the apps above it: they come to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from clearinghouse.accounts.models import User

Collector = Callable[["User"], Any]
Closer = Callable[["User"], None]


@dataclass(frozen=True)
class Holding:
    key: str
    collect: Collector
    close: Closer | None = None


_HOLDINGS: dict[str, Holding] = {}


def register(key: str, collect: Collector, close: Closer | None = None) -> None:
    """Declare one part of a person's data, under ``key`` in their download."""
    _HOLDINGS[key] = Holding(key, collect, close)


def holdings() -> list[Holding]:
    return list(_HOLDINGS.values())


def jsonable(value: Any) -> Any:
    """Dates as ISO 8601 strings; everything else as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def gather(user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, part by part."""
    parts = {holding.key: jsonable(holding.collect(user)) for holding in holdings()}
    return {"generated_at": timezone.now().isoformat(), "site": settings.SITE_URL, **parts}
