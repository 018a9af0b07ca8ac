"""What quality assurance is applied to: published records of the kinds a standard or checklist
names, found by their identifier through the record-type registry, and who may act on them.

Every area of the app (checklists, reviews, ratings, the dashboard) asks these questions and
no other: who manages an item (its authors: whoever may draft it, as the workflow says), who
runs quality assurance (the Secretariat and the help desk's agents), and what an item is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.core.multilingual import Shown, show
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.quality.models import RECORD_TYPES, AppliesTo

# Record types quality assurance applies to (standards and checklists name them by kind).
ASSESSED_TYPES: frozenset[str] = frozenset(RECORD_TYPES.values())
# Record types people rate when they took part in them (cooperations are rated too, apart).
RATED_TYPES: frozenset[str] = frozenset({"EVENT", "COURSE", "RES", "OFFER"})


def kinds_for(record_type: str) -> list[AppliesTo]:
    """The kinds of standard and checklist that apply to records of this type."""
    return [AppliesTo(kind) for kind, code in RECORD_TYPES.items() if code == record_type]


@dataclass(frozen=True)
class Item:
    """A record quality assurance looks at, with what its pages show of it."""

    record: Record

    @property
    def identifier(self) -> str:
        return self.record.identifier

    @property
    def record_type(self) -> str:
        return self.record.RECORD_TYPE

    @property
    def type_label(self) -> Any:
        return registry.of(self.record).label

    @property
    def url(self) -> str:
        return registry.of(self.record).url(self.record)

    def title(self, language: str | None = None) -> Shown:
        titles = getattr(self.record, "title", None) or {}
        return show(titles if isinstance(titles, dict) else {}, self.record.original_language, language)


def find_item(identifier: str, *, types: frozenset[str] = ASSESSED_TYPES, live: bool = True) -> Item:
    """The item with this identifier, or 404 when there is none of these types (or it is not
    published, with ``live``)."""
    record = registry.find(identifier)
    if record is None or record.RECORD_TYPE not in types or (live and not record.live):
        raise Http404(_("No such item."))
    return Item(record)


def item_or_none(identifier: str) -> Item | None:
    """The item with this identifier, whatever its type and state; None when it is gone."""
    record = registry.find(identifier)
    return Item(record) if record is not None else None


def items_of(identifiers: Iterable[str]) -> dict[str, Item]:
    """The items with these identifiers, whatever their type and state, one query per record
    type; identifiers of records that are gone are left out."""
    return {identifier: Item(record) for identifier, record in registry.find_many(identifiers).items()}


def _signed_in(person: Any) -> bool:
    return person is not None and bool(getattr(person, "is_authenticated", False))


def runs_quality(person: Any) -> bool:
    """The Secretariat and the help desk's agents: they assign reviewers, judge, and see the
    quality dashboard."""
    return _signed_in(person) and (
        roles.is_secretariat(person) or roles.has_role(person, Role.HELPDESK_AGENT)
    )


def manages(person: Any, record: Record) -> bool:
    """The item's authors: whoever may draft the record (its owner's people, the person an
    expert profile is about). They keep its checklists and read its reviews."""
    return _signed_in(person) and bool(person.has_perm("records.draft", record))
