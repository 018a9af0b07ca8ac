"""The controlled vocabularies the matcher uses: codes of targets, subjects and types of support,
their labels in the six languages (for explanations), and the labels as parallel text (the same
terms in six languages), from which the embedding's language offsets are estimated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from clearinghouse.vocabularies.services import DATA_DIR, read_vocabulary_file

TARGETS = "gbf-targets"
SUBJECTS = "subjects"
SUPPORT_TYPES = "support-types"
# Vocabularies whose labels serve as parallel text: every term is labelled in all six languages.
PARALLEL_VOCABULARIES = (
    SUBJECTS,
    TARGETS,
    SUPPORT_TYPES,
    "target-groups",
    "capacity-levels",
    "aichi-targets",
)
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@dataclass(frozen=True)
class Vocabularies:
    """Labels by vocabulary and code: ``labels[vocabulary][code][language]``."""

    labels: Mapping[str, Mapping[str, Mapping[str, str]]]

    def codes(self, vocabulary: str) -> frozenset[str]:
        return frozenset(self.labels.get(vocabulary, {}))

    def label(self, vocabulary: str, code: str, language: str) -> str:
        """The label in ``language``, else in English, else the code itself."""
        labels = self.labels.get(vocabulary, {}).get(code, {})
        return labels.get(language) or labels.get("en") or code

    def parallel_texts(self) -> dict[str, list[str]]:
        """The labels of every term labelled in all six languages, as one list per language in
        the same term order."""
        rows = [
            labels
            for name in PARALLEL_VOCABULARIES
            for labels in self.labels.get(name, {}).values()
            if all(labels.get(language) for language in LANGUAGES)
        ]
        return {language: [labels[language] for labels in rows] for language in LANGUAGES}


@cache
def default_vocabularies() -> Vocabularies:
    """The vocabularies as released with the platform (``vocabularies/data``)."""
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        data = read_vocabulary_file(path)
        labels[data.name] = {term.code: dict(term.labels) for term in data.terms}
    return Vocabularies(labels)
