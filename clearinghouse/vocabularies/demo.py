"""The demo records' topics (data/demo-topics.yaml): the vocabulary terms a record on a topic
carries, for the needs and support demo loaders."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.core.management.base import CommandError

from clearinghouse.core.demo import demo_data
from clearinghouse.vocabularies.models import Term


@dataclass(frozen=True)
class Topic:
    subjects: tuple[str, ...]
    gbf: tuple[str, ...]
    support: tuple[str, ...]
    groups: tuple[str, ...]
    instrument: str


@cache
def topics() -> dict[str, Topic]:
    return {
        key: Topic(
            tuple(row["subjects"]),
            tuple(row["gbf"]),
            tuple(row["support"]),
            tuple(row["groups"]),
            row["instrument"],
        )
        for key, row in demo_data("clearinghouse.vocabularies", "demo-topics.yaml").items()
    }


def topic(key: str) -> Topic:
    try:
        return topics()[key]
    except KeyError:
        raise CommandError(f"Unknown demo topic {key!r} (see vocabularies/data/demo-topics.yaml).") from None


class Terms:
    """Every term by its code, read once (codes are unique across the demo's vocabularies)."""

    def __init__(self) -> None:
        self.by_code = {term.code: term for term in Term.objects.all()}
        if not self.by_code:
            raise CommandError("Vocabularies are missing: run `clearinghouse loadreference` first.")

    def __call__(self, codes: tuple[str, ...] | list[str]) -> list[Term]:
        missing = [code for code in codes if code not in self.by_code]
        if missing:
            raise CommandError(f"Unknown vocabulary terms in the demo data: {', '.join(missing)}.")
        return [self.by_code[code] for code in codes]
