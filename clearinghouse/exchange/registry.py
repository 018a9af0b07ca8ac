"""The kinds of import the registries offer. Each registry registers its kinds when it starts
(its AppConfig.ready); the worker finds a job's kind here by name, so this app never imports a
registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clearinghouse.accounts.models import User
from clearinghouse.exchange.problems import Problem
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation

Owner = Country | Organisation
# Called with the rows read so far and the rows in the file (0: the inspection's count stands);
# once done equals total, the reading is over and the save begins.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Duplicate:
    """A row that looks like an existing record (its identifier) or an earlier row."""

    row: int
    title: str
    existing: str
    by: str  # the field that must be the same, as the person reads it


@dataclass
class Outcome:
    """What a run came to: problems (then nothing was saved), likely duplicates to confirm
    (then nothing was saved either), or the drafts created."""

    created: list[Any] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    """Everything a run needs: who, for whom, the file, the uploader's language, and whether
    the person has confirmed the likely duplicates."""

    actor: User
    owner: Owner
    content: bytes
    language: str
    confirmed: bool
    progress: Progress


Runner = Callable[[Request], Outcome]


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: the file formats it reads, its limits (read from the settings when
    asked), how to run it, and where the person goes back to.

    ``run`` must be all or nothing: it saves in one transaction, or saves nothing and returns
    the problems. ``back`` is a URL name and its arguments; ``label`` and ``back_label`` are
    called in the reader's language."""

    name: str
    label: Callable[[], str]
    formats: frozenset[str]
    max_bytes: Callable[[], int]
    run: Runner
    back: tuple[str, tuple[str, ...]]
    back_label: Callable[[], str]


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    """Offer a kind of import (once per name)."""
    _KINDS[kind.name] = kind


def kind(name: str) -> ImportKind:
    """The kind registered under ``name``; KeyError if none is."""
    return _KINDS[name]
