"""Every name of the reference data in the six languages: the vocabularies' titles and terms,
and the M49 regions and the countries they are filed under. A missing label would show a reader
another language's word in a drop-down, a filter or a facet; ``loadreference`` refuses to finish
with one, and the test suite checks the committed data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.geo.models import Country, Region
from clearinghouse.vocabularies.models import Term, Vocabulary


@dataclass(frozen=True)
class MissingLabel:
    """A name lacking in some languages: what it names ("term subjects/SUBJ-FORESTS") and which."""

    where: str
    languages: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: no label in {', '.join(self.languages)}"


def _missing(where: str, labels: Mapping[str, object]) -> MissingLabel | None:
    languages = tuple(
        language
        for language in CONTENT_LANGUAGES
        if not isinstance(labels.get(language), str) or not str(labels.get(language)).strip()
    )
    return MissingLabel(where, languages) if languages else None


def missing_labels() -> list[MissingLabel]:
    """Every stored vocabulary, term, region and country lacking a label in one of the six
    languages (four queries, reading the labels only)."""
    named: Iterable[tuple[str, Mapping[str, object]]] = [
        *(
            (f"vocabulary {name}", titles)
            for name, titles in Vocabulary.objects.values_list("name", "titles")
        ),
        *(
            (f"term {vocabulary}/{code}", labels)
            for vocabulary, code, labels in Term.objects.values_list("vocabulary__name", "code", "labels")
        ),
        *((f"region {code}", names) for code, names in Region.objects.values_list("code", "names")),
        *((f"country {code}", names) for code, names in Country.objects.values_list("code", "names")),
    ]
    return [missing for where, labels in named if (missing := _missing(where, labels or {})) is not None]
