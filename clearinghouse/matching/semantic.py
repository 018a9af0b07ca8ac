"""Retrieval by meaning for search: the records nearest a query, from the stored embeddings.

Implements ``clearinghouse.search.semantic.Retriever`` over the catalogues matching keeps (the
``SEARCH_SEMANTIC_RETRIEVER`` setting names ``retriever``). A query is prepared and embedded as
records are (``embedding_text``, the configured model, loaded once per process), its language is
detected, and each catalogue is searched as the matcher searches it: this host's cache (exact
search, or HNSW for a large catalogue) when it is as new as the database, else the stored vectors
streamed from the database. Nothing is built or saved here.

Catalogues may be centred with different language means (each estimates them when it changes
while small), so their cosines are not comparable as they stand. Each catalogue's candidates are
taken back to their raw vectors (``LanguageCentering.uncenter``) and scored again with one set of
means, those of the largest catalogue; a record's ``score`` is the cosine between the query and
the record, both centred with those means (-1 to 1, higher is nearer).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clearinghouse.matching import index
from clearinghouse.matching.centering import LanguageCentering
from clearinghouse.matching.embedders import Embedder, Vectors, default_embedder, embedding_text
from clearinghouse.matching.models import Catalogue
from clearinghouse.matching.streamed import nearest as streamed_nearest
from clearinghouse.matching.vectors import dot, top_rows
from clearinghouse.search.semantic import SemanticHit

# The catalogues a query is answered from.
SEARCHED: tuple[Catalogue, ...] = (Catalogue.SUPPORT, Catalogue.NEEDS)

# Latin-script languages told apart by lingua; the others are known by their script.
LATIN_LANGUAGES = ("en", "fr", "es")
# Below this many letters, or this confidence, lingua's guess is not trusted over the reader's
# language (single words such as "coral" are spelt alike in several languages).
MIN_LETTERS = 5
MIN_CONFIDENCE = 0.6

_WORD = re.compile(r"\w", re.UNICODE)


# Code point ranges of the scripts that name a language by themselves.
_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("ar", 0x0600, 0x06FF),
    ("ar", 0x0750, 0x077F),
    ("ar", 0x08A0, 0x08FF),
    ("ar", 0xFB50, 0xFEFF),  # presentation forms
    ("zh", 0x3400, 0x4DBF),
    ("zh", 0x4E00, 0x9FFF),
    ("zh", 0xF900, 0xFAFF),
    ("zh", 0x20000, 0x2FA1F),
    ("ru", 0x0400, 0x052F),
)


def _script(character: str) -> str | None:
    """The language a letter's script points to (ar, zh, ru), ``latin`` or None."""
    code = ord(character)
    for language, first, last in _SCRIPTS:
        if first <= code <= last:
            return language
    if character.isalpha() and unicodedata.name(character, "").startswith("LATIN"):
        return "latin"
    return None


class LanguageDetector:
    """The language a query is written in, among the six. The script decides for Arabic, Chinese
    and Russian (the script with most letters, in mixed text); Latin text is told apart by lingua
    restricted to English, French and Spanish, unless it is too short or too close to call: then
    the reader's language is taken when it is one of those three."""

    def __init__(self) -> None:
        self._lingua: Any = None
        self._lock = threading.Lock()

    def _detector(self) -> Any:
        with self._lock:
            if self._lingua is None:
                from lingua import Language, LanguageDetectorBuilder

                self._lingua = (
                    LanguageDetectorBuilder.from_languages(
                        Language.ENGLISH, Language.FRENCH, Language.SPANISH
                    )
                    .with_preloaded_language_models()
                    .build()
                )
            return self._lingua

    def detect(self, text: str, hint: str) -> str:
        counts: dict[str, int] = {}
        for character in text:
            script = _script(character)
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
        if not counts:
            return hint
        script = max(counts, key=lambda name: counts[name])
        if script != "latin":
            return script
        latin = "".join(character if _script(character) == "latin" else " " for character in text)
        best = self._detector().compute_language_confidence_values(latin)[0]
        guess = str(best.language.iso_code_639_1.name).lower()
        if hint in LATIN_LANGUAGES and (counts["latin"] < MIN_LETTERS or best.value < MIN_CONFIDENCE):
            return hint
        return guess


class MeaningRetriever:
    """The published records nearest in meaning to a query, across every catalogue (see the
    module's docstring). Thread-safe; one per process (``retriever``)."""

    def __init__(self, catalogues: Sequence[Catalogue] = SEARCHED) -> None:
        self.catalogues = tuple(catalogues)
        self.languages = LanguageDetector()

    def nearest(self, text: str, language: str, limit: int) -> list[SemanticHit]:
        """At most ``limit`` records nearest in meaning to ``text``, nearest first; ``language``
        (the reader's) is a hint for short Latin-script queries. A text without a letter or a
        digit (empty, emoji only) has no meaning to search by: nothing is returned."""
        if limit <= 0 or not _WORD.search(text):
            return []
        model = default_embedder()
        sources = index.searchable(self.catalogues, model)
        if not sources:
            return []
        common = max(sources, key=lambda source: source.size).centering
        query_language = self.languages.detect(text, language)
        raw = embed_query(model, text)
        query = centre_query(common, raw, query_language)
        keys: list[str] = []
        languages: list[str] = []
        blocks: list[Vectors] = []
        for source in sources:
            if source.matcher is not None:
                own = centre_query(source.centering, raw, query_language)
                profiles, centred = source.matcher.nearest(own, limit)
                found_languages = [profile.language for profile in profiles]
                vectors = source.centering.uncenter(centred, found_languages)
            else:
                own = centre_query(source.centering, raw, query_language)
                found = streamed_nearest(source.side, model, source.centering, own, None, limit)
                profiles, vectors = found.profiles, found.vectors
                found_languages = [profile.language for profile in profiles]
            keys += [profile.id for profile in profiles]
            languages += found_languages
            blocks.append(vectors)
        if not keys:
            return []
        scores = dot(common.center(np.vstack(blocks), languages), query)
        hits: dict[str, float] = {}
        for row in top_rows(scores, len(scores)):
            hits.setdefault(keys[int(row)], float(scores[int(row)]))
        best = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [SemanticHit(key=key, score=round(score, 6)) for key, score in best]


def embed_query(model: Embedder, text: str) -> NDArray[np.float32]:
    """A query's raw embedding, its text prepared as a record's is."""
    vector: NDArray[np.float32] = model.embed_queries([embedding_text(text)])[0]
    return vector


def centre_query(
    centering: LanguageCentering, raw: NDArray[np.float32], language: str
) -> NDArray[np.float32]:
    """The query centred by its language's mean, as records are."""
    vector: NDArray[np.float32] = centering.center(raw.reshape(1, -1), [language])[0]
    return vector


_retriever: MeaningRetriever | None = None
_retriever_lock = threading.Lock()


def retriever() -> MeaningRetriever:
    """The process's retriever (what ``SEARCH_SEMANTIC_RETRIEVER`` names)."""
    global _retriever
    with _retriever_lock:
        if _retriever is None:
            _retriever = MeaningRetriever()
        return _retriever
