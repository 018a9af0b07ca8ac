"""The common formats for needs assessments, needs and requests for assistance.

One versioned definition per format (``needs-<version>.json`` beside this file: fields, help
texts and choice lists in the six languages) generates the web forms, the spreadsheet template
and the XLSForm. Records remember the version they were made with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from clearinghouse.core.languages import pick_label

FORMATS_DIR = Path(__file__).resolve().parent
CURRENT_VERSION = "1.0"

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
    }
)


@dataclass(frozen=True)
class Choice:
    value: str
    labels: Mapping[str, str]

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.value


@dataclass(frozen=True)
class FieldDefinition:
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

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.name

    def help(self, language: str | None = None) -> str:
        return pick_label(self.helps, language)

    @property
    def is_multilingual(self) -> bool:
        return self.type.startswith("multilingual_")

    @property
    def is_many(self) -> bool:
        return self.type in {"multi_choice", "language_list"}


@dataclass(frozen=True)
class Step:
    name: str
    labels: Mapping[str, str]
    fields: tuple[FieldDefinition, ...]

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.name


@dataclass(frozen=True)
class FormDefinition:
    name: str  # "assessment", "need", "request"
    labels: Mapping[str, str]
    steps: tuple[Step, ...]

    def label(self, language: str | None = None) -> str:
        return pick_label(self.labels, language) or self.name

    @property
    def fields(self) -> tuple[FieldDefinition, ...]:
        return tuple(item for step in self.steps for item in step.fields)

    def field(self, name: str) -> FieldDefinition:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)


@dataclass(frozen=True)
class FormatDefinition:
    format: str
    version: str
    released: str
    titles: Mapping[str, str]
    instructions: Mapping[str, str]
    forms: tuple[FormDefinition, ...]

    def form(self, name: str) -> FormDefinition:
        for form in self.forms:
            if form.name == name:
                return form
        raise KeyError(name)

    def __iter__(self) -> Iterator[FormDefinition]:
        return iter(self.forms)


def _field(data: Mapping[str, Any]) -> FieldDefinition:
    if data["type"] not in FIELD_TYPES:
        raise ValueError(f"field {data['name']}: unknown type {data['type']}")
    return FieldDefinition(
        name=data["name"],
        type=data["type"],
        required=bool(data.get("required")),
        labels=data["label"],
        helps=data.get("help", {}),
        choices=tuple(Choice(choice["value"], choice["label"]) for choice in data.get("choices", [])),
        vocabulary=data.get("vocabulary", ""),
        only=data.get("only", ""),
        confidential=bool(data.get("confidential")),
        min=data.get("min"),
        max=data.get("max"),
        max_length=data.get("max_length"),
    )


@cache
def definition(version: str = CURRENT_VERSION) -> FormatDefinition:
    """The format of this version (a KeyError names the versions there are)."""
    path = FORMATS_DIR / f"needs-{version}.json"
    if not path.exists():
        known = sorted(item.stem.removeprefix("needs-") for item in FORMATS_DIR.glob("needs-*.json"))
        raise KeyError(f"unknown format version {version}; known: {', '.join(known)}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return FormatDefinition(
        format=data["format"],
        version=data["version"],
        released=data["released"],
        titles=data["title"],
        instructions=data["instructions"],
        forms=tuple(
            FormDefinition(
                name=form["name"],
                labels=form["label"],
                steps=tuple(
                    Step(step["name"], step["label"], tuple(_field(item) for item in step["fields"]))
                    for step in form["steps"]
                ),
            )
            for form in data["forms"]
        ),
    )


def versions() -> list[str]:
    return sorted(path.stem.removeprefix("needs-") for path in FORMATS_DIR.glob("needs-*.json"))
