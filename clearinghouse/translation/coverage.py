"""How much of the published content exists in each language: per record type and language,
the public records with texts in it, those without, and the translation requests waiting or
in progress. One query per record type and one for the requests, whatever the number of
records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.publishing import registry
from clearinghouse.translation import items
from clearinghouse.translation.models import IN_PROGRESS_STATES, RequestState, TranslationRequest


@dataclass(frozen=True)
class Cell:
    record_type: str
    label: Any
    language: str
    published: int
    with_texts: int
    waiting: int
    in_progress: int

    @property
    def without_texts(self) -> int:
        return self.published - self.with_texts

    @property
    def percent(self) -> int | None:
        return round(100 * self.with_texts / self.published) if self.published else None


def request_counts() -> dict[tuple[str, str], dict[str, int]]:
    """{(record type code, language): {"waiting": n, "in_progress": n}} of open requests."""
    rows = (
        TranslationRequest.objects.filter(state__in=[RequestState.REQUESTED, *IN_PROGRESS_STATES])
        .values("record_type", "language")
        .annotate(
            waiting=Count("pk", filter=Q(state=RequestState.REQUESTED)),
            in_progress=Count("pk", filter=Q(state__in=IN_PROGRESS_STATES)),
        )
        .order_by()
    )
    return {
        (row["record_type"], row["language"]): {"waiting": row["waiting"], "in_progress": row["in_progress"]}
        for row in rows
    }


def coverage(record_type_code: str = "", language: str = "") -> list[Cell]:
    """The coverage table, one cell per record type and language (optionally one of each)."""
    asked = request_counts()
    languages = [language] if language else list(CONTENT_LANGUAGES)
    cells = []
    for record_type in registry.record_types():
        if record_type_code and record_type.code != record_type_code:
            continue
        title = items.title_field(record_type)
        counted = record_type.live().aggregate(
            published=Count("pk"),
            # Records keep no empty text (Record.clean_fields): a key is a text.
            **{f"has_{code}": Count("pk", filter=Q(**{f"{title}__has_key": code})) for code in languages},
        )
        for code in languages:
            waiting = asked.get((record_type.code, code), {})
            cells.append(
                Cell(
                    record_type=record_type.code,
                    label=record_type.model._meta.verbose_name_plural,
                    language=code,
                    published=int(counted["published"]),
                    with_texts=int(counted[f"has_{code}"]),
                    waiting=waiting.get("waiting", 0),
                    in_progress=waiting.get("in_progress", 0),
                )
            )
    return cells
