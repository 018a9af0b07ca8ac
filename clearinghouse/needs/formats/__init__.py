"""The common formats for needs assessments, needs and requests for assistance.

One versioned definition per format (``needs-<version>.json`` beside this file: fields, help
texts and choice lists in the six languages) generates the web forms, the spreadsheet template
and the XLSForm. Records remember the version they were made with. The fields are the shared
description of ``exchange.fields``, which every exchanged record type uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from clearinghouse.core.languages import pick_label
from clearinghouse.exchange.fields import Choice, FieldDefinition

FORMATS_DIR = Path(__file__).resolve().parent
CURRENT_VERSION = "1.0"


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

    @property
    def fields(self) -> tuple[FieldDefinition, ...]:
        """The fields of every form."""
        return tuple(item for form in self.forms for item in form.fields)


def _field(data: Mapping[str, Any]) -> FieldDefinition:
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
