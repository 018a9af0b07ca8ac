"""Records kept by another clearing-house: an app above the record types (harvest) registers
how to find where a record comes from, and the workflow, the record pages and the edit forms ask
here. Such a record is changed only by the platform itself (``actor=None``), from its source;
people read it, with a link to the original, and never edit, submit, review or archive it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from clearinghouse.publishing import registry


@dataclass(frozen=True)
class Origin:
    """Where a record comes from: the source's name and the original record's address."""

    source: str
    url: str


# identifiers -> {identifier: Origin} for those of them kept elsewhere, in one query.
Locator = Callable[[Sequence[str]], Mapping[str, Origin]]


@dataclass(frozen=True)
class _Registered:
    locate: Locator
    # The record types (``RECORD_TYPE`` codes) the registering app may keep elsewhere: a page of
    # any other type asks nothing.
    record_types: frozenset[str]


_LOCATORS: dict[str, _Registered] = {}
# What ``origin`` found for a record object, kept on it: a page asks several times (its actions,
# its panels) and the answer cannot change while it is drawn.
_FOUND = "_kept_elsewhere"


def register_origin(name: str, locate: Locator, *, record_types: Iterable[str]) -> None:
    """Registering the same name again replaces it."""
    _LOCATORS[name] = _Registered(locate, frozenset(record_types))


def _type_code(identifier: str) -> str:
    record_type = registry.for_identifier(identifier)
    return record_type.code if record_type is not None else ""


def origins(identifiers: Sequence[str]) -> dict[str, Origin]:
    found: dict[str, Origin] = {}
    for registered in _LOCATORS.values():
        asked = [
            identifier for identifier in identifiers if _type_code(identifier) in registered.record_types
        ]
        if asked:
            found.update(registered.locate(asked))
    return found


def origin(record: Any) -> Origin | None:
    if _FOUND in getattr(record, "__dict__", {}):
        kept: Origin | None = record.__dict__[_FOUND]
        return kept
    identifier = getattr(record, "identifier", "")
    found = origins([identifier]).get(identifier) if identifier else None
    if hasattr(record, "__dict__"):
        record.__dict__[_FOUND] = found
    return found


def refuse_change(record: Any, actor: Any) -> None:
    """People never change a record kept elsewhere; the platform (``actor=None``) keeps it in
    step with its source."""
    if actor is None:
        return
    found = origin(record)
    if found is not None:
        raise PermissionDenied(
            _("This record comes from %(source)s and is kept there; change it at its source: %(url)s")
            % {"source": found.source, "url": found.url}
        )
