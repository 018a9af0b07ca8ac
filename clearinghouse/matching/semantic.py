"""Retrieval by meaning for search: the records nearest a query, from the stored embeddings.

Implements ``clearinghouse.search.semantic.Retriever`` over the catalogues matching keeps (the
``SEARCH_SEMANTIC_RETRIEVER`` setting names ``retriever``). A query is prepared and embedded as
records are (``embedding_text``, the configured model, loaded once per process), its language is
detected, and each catalogue is searched as the matcher searches it: this host's cache (exact
search, or HNSW for a large catalogue) when it is as new as the database, or behind it by a few
rows (those are read beside it, ``index.searchable``), else the stored vectors streamed from the
database. Nothing is built or saved here.

Catalogues may be centred with different language means (each estimates them when it changes
while small), so their cosines are not comparable as they stand. Each catalogue's candidates are
taken back to their raw vectors (``LanguageCentering.uncenter``) and scored again with one set of
means, those of the largest catalogue. A record's ``score`` is the cosine between the query and
the record centred with those means (-1 to 1, higher is nearer); the query is centred by its
language's mean too when it is long (CENTRE_FROM_WORDS), and compared as it is when short.

``around`` answers search's feedback step (``search.semantic.FeedbackRetriever``): the records
nearest the centroid of given records' stored vectors, each centred by its language's mean with
the common means, found by the same scan as a query's.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from clearinghouse.core.detection import LATIN_LANGUAGES, latin_language
from clearinghouse.matching import index
from clearinghouse.matching.centering import LanguageCentering
from clearinghouse.matching.embedders import Embedder, Vectors, default_embedder, embedding_text
from clearinghouse.matching.models import Catalogue, StoredEmbedding
from clearinghouse.matching.streamed import as_matrix
from clearinghouse.matching.streamed import nearest as streamed_nearest
from clearinghouse.matching.vectors import dot, top_rows
from clearinghouse.search.semantic import Prepared, SemanticHit

# The catalogues a query is answered from.
SEARCHED: tuple[Catalogue, ...] = (Catalogue.SUPPORT, Catalogue.NEEDS, Catalogue.RECORDS)

# Below this many letters, or this confidence, the detector's guess among English, French and
# Spanish (``core.detection.latin_language``) is not trusted over the reader's language (single
# words such as "coral" are spelt alike in several languages).
MIN_LETTERS = 5
MIN_CONFIDENCE = 0.6
# A Chinese character carries about what a word does: in mixed text ("环境DNA") it weighs as much
# as three Latin letters.
HAN_WEIGHT = 3

# A query this long (in words; two Chinese characters count as one) is centred by its language's
# mean as records are; a shorter one is compared as it is. Measured with the default model,
# records centred in every case: on the search development set (144 queries of 1 to 6 words,
# 330 records in six languages) centring the query lowered MRR from 0.812 to 0.789 and left
# cross-lingual recall@10 as it was (0.543, 0.542); with the matching development set's need
# titles as queries (7 words at the median) MRR fell from 0.623 to 0.563; with whole needs as
# queries (34 words at the median) it rose from 0.807 to 0.865 and cross-lingual recall@10 from
# 0.924 to 0.938. A short text's language adds less to its vector than the means, estimated
# from whole records, take away.
CENTRE_FROM_WORDS = 20

# Feedback (``around``): how much the query weighs beside the centroid of the records fed back
# (each of unit length), and whether a short query is centred there. On the search development
# set any weight of the query (0.5 or 1, centred or not) lost recall@10 (0.778 with none, 0.757
# to 0.773 with it; docs/search.md): the query pulls the centroid back to its own language.
FEEDBACK_QUERY_WEIGHT = 0.0
FEEDBACK_CENTRE_QUERY = False

_WORD = re.compile(r"\w", re.UNICODE)
_WORDS = re.compile(r"[^\W\u3400-\u9fff]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")


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
    and Russian (the script with most letters, in mixed text); Latin text is told apart by the
    offline detector restricted to English, French and Spanish, unless it is too short or too
    close to call: then the reader's language is taken when it is one of those three."""

    def detect(self, text: str, hint: str) -> str:
        counts: dict[str, int] = {}
        latin: list[str] = []
        for character in text:
            script = _script(character)
            if script is not None:
                counts[script] = counts.get(script, 0) + (HAN_WEIGHT if script == "zh" else 1)
            latin.append(character if script == "latin" else " ")
        if not counts:
            return hint
        script = max(counts, key=lambda name: counts[name])
        if script != "latin":
            return script
        guess, confidence = latin_language("".join(latin))
        if hint in LATIN_LANGUAGES and (counts["latin"] < MIN_LETTERS or confidence < MIN_CONFIDENCE):
            return hint
        return guess


class MeaningRetriever:
    """The published records nearest in meaning to a query, across every catalogue (see the
    module's docstring). Thread-safe; one per process (``retriever``)."""

    def __init__(
        self,
        catalogues: Sequence[Catalogue] = SEARCHED,
        feedback_query_weight: float = FEEDBACK_QUERY_WEIGHT,
        feedback_centre_query: bool = FEEDBACK_CENTRE_QUERY,
    ) -> None:
        self.catalogues = tuple(catalogues)
        self.feedback_query_weight = feedback_query_weight
        self.feedback_centre_query = feedback_centre_query
        self.languages = LanguageDetector()

    def _searched(self) -> tuple[Embedder, list[index.Searchable], LanguageCentering] | None:
        """The model, this host's searchable catalogues and the means of the largest (the common
        scale every score is given on); None while no catalogue can be searched."""
        model = default_embedder()
        sources = index.searchable(self.catalogues, model)
        if not sources:
            return None
        return model, sources, max(sources, key=lambda source: source.size).centering

    def nearest(self, text: str, language: str, limit: int) -> list[SemanticHit]:
        """At most ``limit`` records nearest in meaning to ``text``, nearest first; ``language``
        (the reader's) is a hint for short Latin-script queries. A text without a letter or a
        digit (empty, emoji only) has no meaning to search by: nothing is returned."""
        return list(self.prepare(text, language, limit).run())

    def prepare(self, text: str, language: str, limit: int) -> Prepared:
        """``nearest`` with the database read now (the catalogues' versions, rows changed since
        this host's caches): the rest is embedding and scanning, free to run in another thread,
        unless a catalogue has no cache here and its stored vectors must be streamed."""
        if limit <= 0 or not _WORD.search(text) or (searched := self._searched()) is None:
            return Prepared(run=list, threaded=True)
        _model, sources, _common = searched
        return Prepared(
            run=lambda: self._nearest(searched, text, language, limit),
            threaded=all(source.matcher is not None for source in sources),
        )

    def _nearest(
        self,
        searched: tuple[Embedder, list[index.Searchable], LanguageCentering],
        text: str,
        language: str,
        limit: int,
    ) -> list[SemanticHit]:
        model, sources, common = searched
        query_language = self.languages.detect(text, language)
        raw = embed_query(model, text)
        if not is_long(text):
            return _scan(sources, model, common, lambda _centering: raw, raw, limit)
        return _scan(
            sources,
            model,
            common,
            lambda centering: centre_query(centering, raw, query_language),
            centre_query(common, raw, query_language),
            limit,
        )

    def around(
        self, keys: Sequence[str], limit: int, text: str = "", language: str = ""
    ) -> list[SemanticHit]:
        """At most ``limit`` records nearest the centroid of the records ``keys`` name (their
        vectors centred by their language, so the centroid leans to no language), with the query
        ``text`` added at FEEDBACK_QUERY_WEIGHT when given; nearest first. Keys without a stored
        embedding are skipped; none left: nothing is returned."""
        if limit <= 0 or not keys or (searched := self._searched()) is None:
            return []
        model, sources, common = searched
        rows = list(
            StoredEmbedding.objects.filter(
                identifier__in=list(keys), embedder=model.name, active=True
            ).values_list("vector", "language")
        )
        if not rows:
            return []
        records = common.center(as_matrix([row[0] for row in rows]), [row[1] for row in rows])
        centroid = records.mean(axis=0)
        if text and _WORD.search(text) and self.feedback_query_weight:
            raw = embed_query(model, text)
            query = (
                centre_query(common, raw, self.languages.detect(text, language))
                if self.feedback_centre_query or is_long(text)
                else raw
            )
            centroid = centroid + self.feedback_query_weight * query
        length = float(np.linalg.norm(centroid))
        if length == 0:
            return []
        vector = (centroid / length).astype(np.float32)
        return _scan(sources, model, common, lambda _centering: vector, vector, limit)


def _scan(
    sources: Sequence[index.Searchable],
    model: Embedder,
    common: LanguageCentering,
    own: Callable[[LanguageCentering], NDArray[np.float32]],
    query: NDArray[np.float32],
    limit: int,
) -> list[SemanticHit]:
    """The ``limit`` records of ``sources`` nearest ``query`` on the common scale (``common``'s
    means); each catalogue is searched with ``own(its means)``, the query as it would centre it."""
    keys: list[str] = []
    blocks: list[Vectors] = []
    for source in sources:
        searched = own(source.centering)
        if source.matcher is not None:
            changed = source.changed
            # Rows changed since the cache was saved are read beside it, not from it.
            stale = set(changed.identifiers) if changed is not None else set()
            profiles, centred = source.matcher.nearest(searched, limit + len(stale))
            kept = [row for row, profile in enumerate(profiles) if profile.id not in stale]
            found_keys = [profiles[row].id for row in kept]
            found_languages = [profiles[row].language for row in kept]
            centred = centred[kept]
            if same_means(source.centering, common):
                # Centred alike (every rebuild estimates one set of means for all): the
                # rows are already on the common scale.
                vectors = centred
            else:
                vectors = common.center(source.centering.uncenter(centred, found_languages), found_languages)
            if changed is not None and len(changed.vectors):
                found_keys += [
                    identifier
                    for identifier, active in zip(changed.identifiers, changed.active, strict=True)
                    if active
                ]
                vectors = np.vstack([vectors, common.center(changed.vectors, changed.languages)])
        else:
            found = streamed_nearest(source.side, model, source.centering, searched, None, limit)
            found_keys = [profile.id for profile in found.profiles]
            vectors = common.center(found.vectors, [profile.language for profile in found.profiles])
        keys += found_keys
        blocks.append(vectors)
    if not keys:
        return []
    scores = dot(np.vstack(blocks), query)
    hits: dict[str, float] = {}
    for row in top_rows(scores, len(scores)):
        hits.setdefault(keys[int(row)], float(scores[int(row)]))
    best = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [SemanticHit(key=key, score=round(score, 6)) for key, score in best]


def same_means(one: LanguageCentering, other: LanguageCentering) -> bool:
    """Whether two catalogues are centred with the same means (a few small arrays compared)."""
    if one is other:
        return True
    return (
        one.means.keys() == other.means.keys()
        and np.array_equal(one.fallback, other.fallback)
        and all(np.array_equal(mean, other.means[code]) for code, mean in one.means.items())
    )


def is_long(text: str) -> bool:
    """Whether a query is long enough to be centred (CENTRE_FROM_WORDS)."""
    words = len(_WORDS.findall(text)) + len(_HAN.findall(text)) / 2
    return words >= CENTRE_FROM_WORDS


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
