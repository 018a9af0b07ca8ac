"""Records kept by another clearing-house: an app above the record types (harvest) registers
how to find where a record comes from, and the workflow, the record pages and the edit forms ask
here. Such a record is changed only by the platform itself (``actor=None``), from its source;
people read it, with a link to the original, and never edit, submit, review or archive it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Origin:
    """Where a record comes from: the source's name and the original record's address."""

    source: str
    url: str


# identifiers -> {identifier: Origin} for those of them kept elsewhere, in one query.
Locator = Callable[[Sequence[str]], Mapping[str, Origin]]

_LOCATORS: dict[str, Locator] = {}


def register_origin(name: str, locate: Locator) -> None:
    """Registering the same name again replaces it."""
    _LOCATORS[name] = locate


def origins(identifiers: Sequence[str]) -> dict[str, Origin]:
    found: dict[str, Origin] = {}
    if not identifiers:
        return found
    for locate in _LOCATORS.values():
        found.update(locate(identifiers))
    return found


def origin(record: Any) -> Origin | None:
    identifier = getattr(record, "identifier", "")
    return origins([identifier]).get(identifier) if identifier else None


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
