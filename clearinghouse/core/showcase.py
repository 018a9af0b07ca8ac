"""What the home page shows of the areas above the core: a few live figures and the latest
published records.

The core imports no upper app. Each app that has something to show registers it here from its
``AppConfig.ready()`` (``register_figure``, ``register_latest``); the home page reads what is
registered. Both are counted from the database and kept in the cache for a short while, so the
home page costs no query on most visits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import get_language

CACHE_SECONDS = 120
LATEST = 6


@dataclass(frozen=True)
class Figure:
    """One live figure: ``count`` reads it from the database; ``label`` says it in the reader's
    language for a number (an ``ngettext`` with ``%(count)s``); ``url_name`` is the area it leads
    to (empty: none). Figures show in ``order``."""

    key: str
    order: int
    count: Callable[[], int]
    label: Callable[[int], str]
    url_name: str = ""


@dataclass(frozen=True)
class ShownFigure:
    key: str
    count: int
    text: str
    url_name: str


@dataclass(frozen=True)
class LatestRecord:
    """A published record as the home page lists it, already in the reader's language: the
    title (its language, for ``lang`` and ``dir``), the type, the owner and the page."""

    identifier: str
    title: str
    title_language: str
    kind: str
    owner: str
    url: str
    published_at: datetime


LatestProvider = Callable[[int], list[LatestRecord]]

_FIGURES: dict[str, Figure] = {}
_LATEST: list[LatestProvider] = []


def register_figure(figure: Figure) -> Figure:
    _FIGURES[figure.key] = figure
    return figure


def register_latest(provider: LatestProvider) -> LatestProvider:
    """A function giving the latest published records (newest first), in the active language."""
    if provider not in _LATEST:
        _LATEST.append(provider)
    return provider


def registered_figures() -> list[Figure]:
    return sorted(_FIGURES.values(), key=lambda figure: (figure.order, figure.key))


def counts() -> dict[str, int]:
    """Every registered figure, counted from the database (cached for ``CACHE_SECONDS``)."""

    def count_all() -> dict[str, int]:
        return {figure.key: figure.count() for figure in registered_figures()}

    found: dict[str, int] | None = cache.get_or_set("showcase:figures", count_all, CACHE_SECONDS)
    return found if found is not None else count_all()


def figures() -> list[ShownFigure]:
    """The figures in the active language."""
    numbers = counts()
    return [
        ShownFigure(figure.key, numbers[figure.key], figure.label(numbers[figure.key]), figure.url_name)
        for figure in registered_figures()
        if figure.key in numbers
    ]


def number(count: int) -> str:
    """A count as the reader's locale writes it (12 345, 12,345...), for a figure's label."""
    return number_format(count, force_grouping=True)


def latest(limit: int = LATEST) -> list[LatestRecord]:
    """The latest published records of every provider, newest first, in the active language
    (cached per language for ``CACHE_SECONDS``)."""

    def newest() -> list[LatestRecord]:
        records = [record for provider in _LATEST for record in provider(limit)]
        return sorted(records, key=lambda record: record.published_at, reverse=True)[:limit]

    found: list[LatestRecord] | None = cache.get_or_set(
        f"showcase:latest:{get_language()}:{limit}", newest, CACHE_SECONDS
    )
    return found if found is not None else newest()


def forget() -> None:
    """Drop the cached figures and records (a test, or a change that must show at once)."""
    cache.delete_many(
        ["showcase:figures", *(f"showcase:latest:{code}:{LATEST}" for code, _name in settings.LANGUAGES)]
    )
