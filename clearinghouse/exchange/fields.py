"""What a column of an exchanged file holds: one field of a record type, described as plain data.

The needs format builds these from its versioned JSON (``needs.formats``); every other record
type declares them in its registration (``publishing.registry.Exchanged``). The workbook writer,
the readers, the cleaning of each cell, the XLSForm and the exports all read the same
description, so a type gets import and export by declaring its fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from clearinghouse.core.languages import pick_label

FIELD_TYPES = frozenset(
    {
        "text",
        "multilingual_text",
        "multilingual_long_text",
        "choice",
        "multi_choice",
        "integer",
        "decimal",
        "year",
        "email",
        "boolean",
        "currency",
        "language_list",
        # Types of the support records.
        "date",
        "datetime",  # a moment, stored in UTC; typed in UTC or with its offset
        "url",
        "text_list",  # several texts, such as web addresses, separated by ";"
        "url_list",
        "country_list",  # Party codes and group codes (regions, LDCs...)
        "organisation",  # an organisation's code
        "organisation_list",
        "record",  # a record's identifier
        "record_list",
        "reference",  # another object by its code (a country, a region)
        "reference_list",
        "activity_list",  # numbers of the action plan's activities
    }
)
# Types whose value is one of a list of coded options.
CODED_TYPES = frozenset(
    {
        "choice",
        "multi_choice",
        "currency",
        "language_list",
        "country_list",
        "organisation",
        "organisation_list",
        "record",
        "record_list",
        "reference",
        "reference_list",
        "activity_list",
    }
)
MANY_TYPES = frozenset(
    {
        "multi_choice",
        "language_list",
        "text_list",
        "url_list",
        "country_list",
        "organisation_list",
        "record_list",
        "reference_list",
        "activity_list",
    }
)
# Coded types that get a drop-down in the workbook (organisations, records and other references
# are too many, or depend on who imports: their codes are typed).
LISTED_TYPES = frozenset({"choice", "multi_choice", "currency", "language_list", "country_list"})


@dataclass(frozen=True)
class Choice:
    value: str
    labels: Mapping[str, str]

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.value


@dataclass(frozen=True)
class FieldDefinition:
    """One field: its code (the column's code in files), type, labels and help in the six
    languages, and what it accepts."""

    name: str
    type: str
    required: bool
    labels: Mapping[str, str]
    helps: Mapping[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    vocabulary: str = ""  # choices come from this controlled vocabulary
    only: str = ""  # ...limited to codes starting with this (e.g. GBF-T: targets, not goals)
    confidential: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    # What an empty cell stores for a field that may not be empty but has a value of its own
    # (an event's attendance is in person unless told otherwise).
    default: str | None = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type}")

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.name

    def help(self, language: str | None = None) -> str:
        return pick_label(self.helps, language)

    @property
    def is_multilingual(self) -> bool:
        return self.type.startswith("multilingual_")

    @property
    def is_many(self) -> bool:
        return self.type in MANY_TYPES

    @property
    def is_coded(self) -> bool:
        return self.type in CODED_TYPES

    @property
    def is_listed(self) -> bool:
        """Whether the workbook offers a drop-down of its codes."""
        return self.type in LISTED_TYPES
