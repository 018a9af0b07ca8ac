"""Query expansion across languages: a query that names a concept in one language also looks for
the concept's names in the five others.

The concepts are the labels the platform already keeps in six languages (the vocabularies of
GBF targets, subjects and types of support; country names) and the glossary of the Convention's
terms (``data/glossary.json``: a list of ``{"id": ..., "labels": {"en": [...], "fr": [...], ...}}``).
Labels and queries go through the index's own text analysis (``text``), so a label is found
whatever the accents, hamza, case or inflection of what was typed, and each label is turned into
the terms its own language's records are indexed with.

A label found in the query adds the concept's other labels as alternatives (OR) to the clauses
of the words it covers: "especies exóticas invasoras" also matches a record holding the phrase
"invasive alien species". The clauses stay as many as before (``MAX_QUERY_CLAUSES`` holds) and
each gains at most ``MAX_ALTERNATIVES`` alternatives. Records found only through expansion are
ranked below those that hold the words typed (``hybrid``).

Labels are read once per process and read again when the vocabularies, the countries or the
glossary change (checked at most every ``CHECK_SECONDS``; at once in the process that changed
them).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from clearinghouse.geo.models import Country
from clearinghouse.search.text import (
    _QUOTES,
    LATIN_QUERY_LANGUAGES,
    STOP_WORDS,
    WORD,
    Clause,
    ParsedQuery,
    analyse,
    clean,
    normalise,
    word_terms,
)
from clearinghouse.vocabularies.models import Term, Vocabulary

GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary.json"
VOCABULARIES = ("gbf-targets", "subjects", "support-types")
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Alternatives one clause may gain: enough for a concept's names in six languages with a few
# synonyms each, few enough to keep the engines' queries short.
MAX_ALTERNATIVES = 32
CHECK_SECONDS = 60.0
_LATIN_STOP_WORDS = frozenset().union(*(STOP_WORDS[code] for code in LATIN_QUERY_LANGUAGES))

Sequence_ = tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    id: str
    # Each label as the terms its language's records are indexed with, in order.
    labels: tuple[Sequence_, ...]


def label_terms(label: str, language: str) -> Sequence_:
    """The terms of a label written in ``language``, as that language's records are indexed.
    Words a query never keeps (a function word of English, French or Spanish) are left out, so
    that the label and a query that holds it line up word for word."""
    terms: list[str] = []
    for match in WORD.finditer(clean(label)):
        if normalise(match.group()) in _LATIN_STOP_WORDS:
            continue
        for variants in word_terms(match.group(), language):
            terms.extend(variants[0])
    return tuple(terms)


def _concept(identifier: str, labels: Mapping[str, Iterable[str]]) -> Concept | None:
    sequences: list[Sequence_] = []
    for language in LANGUAGES:
        for label in labels.get(language, ()):
            if isinstance(label, str) and (terms := label_terms(label, language)):
                sequences.append(terms)
    unique = tuple(dict.fromkeys(sequences))
    return Concept(identifier, unique) if len(unique) > 1 else None


def _read_glossary(path: Path) -> Iterator[tuple[str, Mapping[str, Iterable[str]]]]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    for entry in entries:
        labels = entry.get("labels", {})
        yield f"glossary:{entry['id']}", {code: labels.get(code, []) for code in LANGUAGES}


def _read_concepts() -> list[Concept]:
    sources: list[tuple[str, Mapping[str, Iterable[str]]]] = []
    terms = Term.objects.filter(vocabulary__name__in=VOCABULARIES, is_active=True).values_list(
        "vocabulary__name", "code", "labels"
    )
    for vocabulary, code, labels in terms:
        sources.append((f"{vocabulary}:{code}", {key: [value] for key, value in (labels or {}).items()}))
    for code, names in Country.objects.values_list("code", "names"):
        sources.append((f"country:{code}", {key: [value] for key, value in (names or {}).items()}))
    sources.extend(_read_glossary(GLOSSARY))
    return [concept for identifier, labels in sources if (concept := _concept(identifier, labels))]


class Lexicon:
    """Every concept's labels, found by their first term."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.by_first: dict[str, list[tuple[Sequence_, Concept]]] = {}
        for concept in concepts:
            for label in concept.labels:
                self.by_first.setdefault(label[0], []).append((label, concept))

    def found(self, positions: Sequence[frozenset[str]]) -> list[tuple[int, int, Concept, Sequence_]]:
        """(start, end, concept, label) of every label that the query's positions spell; a
        label of three terms or more also when the query leaves out one of its inner terms
        (Russian "инвазивных видов" for "инвазивные чужеродные виды")."""
        found = []
        for start, alternatives in enumerate(positions):
            # In a fixed order: the alternatives kept under MAX_ALTERNATIVES must not depend on
            # the process's hash seed (a set's order), or one query would find different records
            # in different processes.
            for term in sorted(alternatives):
                for label, concept in self.by_first.get(term, ()):
                    for spelt in _spellings(label):
                        end = start + len(spelt)
                        if end <= len(positions) and all(
                            spelt[offset] in positions[start + offset] for offset in range(1, len(spelt))
                        ):
                            found.append((start, end, concept, label))
                            break
        return found


def _spellings(label: Sequence_) -> Iterator[Sequence_]:
    yield label
    if len(label) >= 3:
        for left_out in range(1, len(label) - 1):
            yield label[:left_out] + label[left_out + 1 :]


_lock = threading.Lock()
_cached: tuple[tuple[object, ...], Lexicon] | None = None
_checked_at = 0.0


def _stamp() -> tuple[object, ...]:
    """What changes when a label may have changed."""
    vocabularies = Vocabulary.objects.aggregate(latest=Max("updated_at"), count=Count("id"))
    terms = Term.objects.aggregate(count=Count("id"))
    try:
        glossary = GLOSSARY.stat().st_mtime_ns
    except FileNotFoundError:
        glossary = 0
    return (vocabularies["latest"], vocabularies["count"], terms["count"], Country.objects.count(), glossary)


def lexicon() -> Lexicon:
    """The concepts' labels, read once and again only when they may have changed."""
    global _cached, _checked_at  # the process's one copy of the labels
    now = time.monotonic()
    with _lock:
        if _cached is not None and now - _checked_at < CHECK_SECONDS:
            return _cached[1]
        stamp = _stamp()
        _checked_at = now
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, Lexicon(_read_concepts()))
        return _cached[1]


def forget(**kwargs: object) -> None:
    """Read the labels again at the next query (a vocabulary, term or country was saved)."""
    global _cached  # the process's one copy of the labels
    with _lock:
        _cached = None


for _model in (Vocabulary, Term, Country):
    post_save.connect(forget, sender=_model, dispatch_uid=f"search-expansion-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"search-expansion-{_model.__name__}-delete")


def _positions(text: str) -> list[frozenset[str]]:
    """The query as a row of positions, each the terms a word may be (a run of Chinese
    characters: one position per bigram)."""
    positions: list[frozenset[str]] = []
    for word in analyse(text.translate(_QUOTES).replace('"', " "), None):
        if len(word.variants) == 1 and len(word.variants[0]) > 1:
            positions.extend(frozenset((term,)) for term in word.variants[0])
        else:
            positions.append(frozenset(variant[0] for variant in word.variants if variant))
    return positions


def expand(parsed: ParsedQuery, text: str, lexicon: Lexicon | None = None) -> ParsedQuery:
    """``parsed`` with the other names of every concept the query names added to the clauses of
    the words that name it."""
    if not parsed.clauses:
        return parsed
    positions = _positions(text)
    found = (lexicon or globals()["lexicon"]()).found(positions)
    if not found:
        return parsed
    added: dict[int, list[Sequence_]] = {}
    for start, end, concept, label in found:
        covered = set().union(*positions[start:end])
        others = [other for other in concept.labels if other != label]
        for index, clause in enumerate(parsed.clauses):
            if any(term in covered for sequence in clause for term in sequence):
                added.setdefault(index, []).extend(others)
    if not added:
        return parsed
    clauses: list[Clause] = []
    for index, clause in enumerate(parsed.clauses):
        extra = [sequence for sequence in dict.fromkeys(added.get(index, ())) if sequence not in clause]
        clauses.append(clause + tuple(extra[:MAX_ALTERNATIVES]))
    return replace(parsed, clauses=tuple(clauses))
