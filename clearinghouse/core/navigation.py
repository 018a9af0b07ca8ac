"""The places shown in the header: the public areas, for everyone, and each person's own places.

The public areas are listed here. The personal places (a dashboard, a review queue, a console...)
belong to the apps above core: each registers its own in its ``AppConfig.ready()`` with the
predicate its views ask, so the header offers a person exactly the places they may use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    label: str | Promise
    url_name: str


AREAS: tuple[Area, ...] = (
    Area(_("Home"), "core:home"),
    Area(_("Search"), "search:index"),
    Area(_("Needs"), "needs:index"),
    Area(_("Support"), "support:index"),
    Area(_("Events"), "events:list"),
    Area(_("Courses"), "learning:catalogue"),
    Area(_("Communities"), "community:communities"),
    Area(_("Knowledge"), "knowledge:list"),
    Area(_("Organisations"), "organisations:list"),
    Area(_("Countries"), "nodes:countries"),
    Area(_("Action plan"), "plan:index"),
    Area(_("Statistics"), "monitoring:index"),
    Area(_("API"), "api:docs"),
)


@dataclass(frozen=True)
class Place:
    """A signed-in person's place: shown to whom ``shown_to(user)`` admits, ordered by ``order``."""

    label: str | Promise
    url_name: str
    shown_to: Callable[[Any], bool]
    order: int


_PLACES: dict[str, Place] = {}


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def register_place(
    label: str | Promise, url_name: str, shown_to: Callable[[Any], bool] = signed_in, *, order: int = 100
) -> None:
    """Offer a place in the header to the people ``shown_to`` admits (signed in, always: the
    header asks only for signed-in people). Registering the same URL name again replaces it."""
    _PLACES[url_name] = Place(label, url_name, shown_to, order)


def places_for(user: Any) -> list[Place]:
    """The registered places this person may use, in their order."""
    if not signed_in(user):
        return []
    return [
        place
        for place in sorted(_PLACES.values(), key=lambda p: (p.order, p.url_name))
        if place.shown_to(user)
    ]


@dataclass(frozen=True)
class RecordAction:
    """A link offered to the people who manage a record, on the record's page, by an app above
    the record's own (community offers the follow-up of an event or course): the record's app
    shows the links registered for its type without importing the app that registers them."""

    label: str | Promise
    url_name: str
    shown_to: Callable[[Any, Any], bool]
    order: int


_RECORD_ACTIONS: dict[str, dict[str, RecordAction]] = {}


def register_record_action(
    record_type: str,
    label: str | Promise,
    url_name: str,
    shown_to: Callable[[Any, Any], bool],
    *,
    order: int = 100,
) -> None:
    """Offer, on the page of each record of ``record_type`` ("EVENT", "COURSE"), a link to
    ``url_name`` (reversed with the record's identifier) to the people ``shown_to(user, record)``
    admits. Registering the same URL name again replaces it."""
    _RECORD_ACTIONS.setdefault(record_type, {})[url_name] = RecordAction(label, url_name, shown_to, order)


def record_actions_for(user: Any, record: Any) -> list[RecordAction]:
    """The registered links of the record's type this person may follow, in their order."""
    if not signed_in(user):
        return []
    registered = _RECORD_ACTIONS.get(getattr(record, "RECORD_TYPE", ""), {})
    return [
        action
        for action in sorted(registered.values(), key=lambda a: (a.order, a.url_name))
        if action.shown_to(user, record)
    ]


@dataclass(frozen=True)
class RecordPanel:
    """A part of a record's page given by an app above the record's own (quality shows an
    item's quality mark, ratings and checklist): ``context(request, record)`` returns what its
    template needs, or None when there is nothing to show to this reader."""

    template_name: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int


_RECORD_PANELS: dict[str, dict[str, RecordPanel]] = {}
# Registered for this, a panel shows on the page of every record (offline reading's "Keep offline").
EVERY_RECORD_TYPE = "*"


def register_record_panel(
    record_types: tuple[str, ...],
    template_name: str,
    context: Callable[[Any, Any], dict[str, Any] | None],
    *,
    order: int = 100,
) -> None:
    """Show ``template_name`` on the page of each record of ``record_types`` ("EVENT", "RES")
    with the context ``context(request, record)`` gives. Registering the same template again
    replaces it."""
    for record_type in record_types:
        _RECORD_PANELS.setdefault(record_type, {})[template_name] = RecordPanel(template_name, context, order)


def record_panels_for(
    request: Any, record: Any, kind: str | None = None
) -> list[tuple[RecordPanel, dict[str, Any]]]:
    """The panels of the record's type (or of ``kind``, for a page that shows something other
    than a registered record, such as a cooperation) with something to show this reader, in
    their order."""
    key: str = kind or str(getattr(record, "RECORD_TYPE", ""))
    registered = {**_RECORD_PANELS.get(EVERY_RECORD_TYPE, {}), **_RECORD_PANELS.get(key, {})}
    shown = []
    for panel in sorted(registered.values(), key=lambda p: (p.order, p.template_name)):
        context = panel.context(request, record)
        if context is not None:
            shown.append((panel, context))
    return shown
