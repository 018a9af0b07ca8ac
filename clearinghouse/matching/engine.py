"""The matcher: offers indexed once, each need answered with a ranked, explained list of offers.

    matcher = Matcher()                       # the configured embedder, countries, vocabularies
    vectors = matcher.build(offers)           # raw embeddings, for storing with the records
    suggestions = matcher.match(need, limit=10)

A match runs in four steps: the offers that admit the requesting country (and are not withdrawn)
are found from posting lists of eligibility labels; the vector index returns the ``pool`` offers
among them nearest to the need; each of those is scored (see ``scoring``); the best are explained.
The index can be saved beside the database and loaded again, or rebuilt from the stored vectors.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clearinghouse.matching import conf
from clearinghouse.matching.centering import LanguageCentering, estimate, language_offsets
from clearinghouse.matching.countries import GLOBAL, CountryDirectory, UnknownCountryError, default_directory
from clearinghouse.matching.embedders import (
    EMBEDDING_TEXT_VERSION,
    Embedder,
    Vectors,
    default_embedder,
    embedding_text,
)
from clearinghouse.matching.lexical import (
    CONTEXT_CHARS,
    MAX_PASSAGE_CHARS,
    TermTable,
    around,
    clauses,
    overlap_scores,
    sentences,
    shared_word_spans,
    terms,
)
from clearinghouse.matching.profiles import (
    Explanation,
    FieldName,
    LabelledCode,
    NeedProfile,
    OfferProfile,
    Passage,
    Side,
    Suggestion,
    SupportFit,
)
from clearinghouse.matching.scoring import (
    Features,
    Typical,
    Weights,
    combine,
    share_of,
    standardise,
    support_fit,
)
from clearinghouse.matching.vectors import VectorIndex, build_index, load_index
from clearinghouse.matching.vocabulary import (
    SUBJECTS,
    SUPPORT_TYPES,
    TARGETS,
    Vocabularies,
    default_vocabularies,
)
from clearinghouse.search.text import clean

FORMAT_VERSION = 1
STAMP_FILE = "stamp.json"
# Offers whose similarities to a need stand for "a typical offer" (see scoring.standardise).
REFERENCE_SAMPLE = 1024
SENTENCE_CACHE_SIZE = 20_000
# A clause is quoted as close in meaning to the other text only from this similarity of the two
# clauses (the model's raw cosine; see docs/matching.md, "Explanations"); below it nothing is.
MEANING_SIMILARITY = 0.4
# Clauses of fewer words say too little to be quoted (a name, a date).
MIN_CLAUSE_WORDS = 3
DATA_DIR = Path(__file__).resolve().parent / "data"


class MatchingError(ValueError):
    """A need the matcher cannot answer; the message says why."""


class Codebook:
    """Codes of one vocabulary as bits of a 64-bit mask, numbered in order of first sight."""

    LIMIT = 64

    def __init__(self, codes: Iterable[str] = ()) -> None:
        self.bits: dict[str, int] = {}
        for code in codes:
            self.bit(code)

    def bit(self, code: str) -> int:
        number = self.bits.get(code)
        if number is None:
            if len(self.bits) >= self.LIMIT:
                raise MatchingError(f"more than {self.LIMIT} codes in one vocabulary: cannot add {code!r}")
            number = self.bits[code] = len(self.bits)
        return number

    def mask(self, codes: Iterable[str], add: bool = True) -> int:
        value = 0
        for code in codes:
            if add or code in self.bits:
                value |= 1 << self.bit(code)
        return value


@dataclass
class _Catalogue:
    """The offers by row, with what filtering and scoring read, as arrays."""

    profiles: list[OfferProfile] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    subjects: list[int] = field(default_factory=list)
    support: list[int] = field(default_factory=list)
    terms: list[NDArray[np.int32]] = field(default_factory=list)
    rows_by_id: dict[str, int] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)
    _arrays: dict[str, Any] | None = None

    def arrays(self) -> dict[str, Any]:
        """Array views, rebuilt after a change."""
        if self._arrays is None:
            self._arrays = {
                "alive": np.array(self.alive, dtype=bool),
                "targets": np.array(self.targets, dtype=np.uint64),
                "subjects": np.array(self.subjects, dtype=np.uint64),
                "support": np.array(self.support, dtype=np.uint64),
                "postings": {label: np.array(rows, dtype=np.int64) for label, rows in self.postings.items()},
            }
        return self._arrays

    def changed(self) -> None:
        self._arrays = None


class Matcher:
    """Offers in, suggestions out. Not thread-safe for writes (build, add, remove); matches may
    run concurrently once it is built."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        *,
        countries: CountryDirectory | None = None,
        vocabularies: Vocabularies | None = None,
        weights: Weights | None = None,
        exact_limit: int | None = None,
        pool: int | None = None,
        language_centring: bool = True,
    ) -> None:
        self.embedder = embedder or default_embedder()
        self.countries = countries or default_directory()
        self.vocabularies = vocabularies or default_vocabularies()
        self.weights = weights or Weights()
        self.exact_limit = conf.exact_limit() if exact_limit is None else exact_limit
        self.pool = conf.pool_size() if pool is None else pool
        # Off only to measure what centring brings (docs/matching.md).
        self.language_centring = language_centring
        self.centering: LanguageCentering | None = None
        self.index: VectorIndex | None = None
        self._codebooks = {
            TARGETS: Codebook(sorted(self.vocabularies.codes(TARGETS))),
            SUBJECTS: Codebook(sorted(self.vocabularies.codes(SUBJECTS))),
            SUPPORT_TYPES: Codebook(sorted(self.vocabularies.codes(SUPPORT_TYPES))),
        }
        self._terms = TermTable()
        self._catalogue = _Catalogue()
        self._reference_rows = np.zeros(0, dtype=np.int64)
        self._sentence_vectors: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    # --- building -------------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Raw embeddings of record texts (Arabic normalised, see ``embedding_text``). Needs and
        offers both describe capacity-building topics, a symmetric task, so both go through
        ``embed_queries`` (for e5 models the form advised for symmetric tasks, and measured better:
        docs/matching.md)."""
        return self.embedder.embed_queries([embedding_text(text) for text in texts])

    def build(
        self,
        offers: Sequence[OfferProfile],
        vectors: Vectors | None = None,
        *,
        context: tuple[Vectors, Sequence[str]] | None = None,
        centering: LanguageCentering | None = None,
    ) -> Vectors:
        """Index these offers, replacing what was indexed; returns their raw embeddings (given or
        computed) so that they can be stored with the records. ``context`` adds the raw vectors
        and languages of other records (needs) to the estimate of the language means;
        ``centering`` gives the means instead (estimated once, shared by every host)."""
        raw = self._vectors_for(offers, vectors)
        languages = [offer.language for offer in offers]
        sample_vectors, sample_languages = raw, list(languages)
        if context is not None and len(context[0]):
            sample_vectors = np.vstack([raw, np.asarray(context[0], dtype=np.float32)])
            sample_languages += list(context[1])
        if centering is not None:
            self.centering = centering
        elif self.language_centring:
            self.centering = estimate(sample_vectors, sample_languages, self._language_offsets())
        else:
            zero = np.zeros(self.embedder.dimension, dtype=np.float32)
            self.centering = LanguageCentering(means={}, fallback=zero)
        self._terms = TermTable()
        self._catalogue = _Catalogue()
        self.index = build_index(
            self.embedder.dimension, self.centering.center(raw, languages), self.exact_limit
        )
        self._append(offers)
        self._draw_reference_sample()
        return raw

    def add(self, offers: Sequence[OfferProfile], vectors: Vectors | None = None) -> Vectors:
        """Index more offers with the current language means (rebuild now and then to refresh
        them); an offer already indexed is replaced."""
        if self.index is None or self.centering is None:
            return self.build(offers, vectors)
        raw = self._vectors_for(offers, vectors)
        self.index.add(self.centering.center(raw, [offer.language for offer in offers]))
        self._append(offers)
        if len(self._reference_rows) < REFERENCE_SAMPLE:
            self._draw_reference_sample()
        return raw

    def remove(self, offer_ids: Iterable[str]) -> None:
        """Withdraw offers: they are never suggested again (their rows stay until a rebuild)."""
        catalogue = self._catalogue
        for offer_id in offer_ids:
            row = catalogue.rows_by_id.pop(offer_id, None)
            if row is not None and catalogue.alive[row]:
                catalogue.alive[row] = False
                self._terms.remove_document(catalogue.terms[row].tolist())
        catalogue.changed()

    def __len__(self) -> int:
        return len(self._catalogue.rows_by_id)

    def _vectors_for(self, offers: Sequence[OfferProfile], vectors: Vectors | None) -> Vectors:
        if vectors is None:
            return self.embed([offer.text for offer in offers])
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(offers), self.embedder.dimension):
            raise MatchingError(
                f"expected {len(offers)} vectors of {self.embedder.dimension} dimensions, got {vectors.shape}"
            )
        return vectors

    def _append(self, offers: Sequence[OfferProfile], alive: Sequence[bool] | None = None) -> None:
        """Rows for the offers (their vectors are already in the index, in the same order). An
        offer whose id is indexed already replaces it; ``alive`` marks rows withdrawn (loading)."""
        catalogue = self._catalogue
        for position, offer in enumerate(offers):
            if alive is not None and not alive[position]:
                self._append_withdrawn(offer)
                continue
            self.remove([offer.id])
            row = len(catalogue.profiles)
            catalogue.profiles.append(offer)
            catalogue.alive.append(True)
            catalogue.rows_by_id[offer.id] = row
            catalogue.targets.append(self._codebooks[TARGETS].mask(offer.targets))
            catalogue.subjects.append(self._codebooks[SUBJECTS].mask(offer.subjects))
            catalogue.support.append(self._codebooks[SUPPORT_TYPES].mask(offer.support_types))
            numbers = self._terms.add_document(terms(offer.text, offer.language))
            catalogue.terms.append(np.array(numbers, dtype=np.int32))
            for label in set(offer.countries_eligible) or {GLOBAL}:
                catalogue.postings.setdefault(label, []).append(row)
        catalogue.changed()

    def _append_withdrawn(self, offer: OfferProfile) -> None:
        """A row kept only so that rows stay aligned with the vectors."""
        catalogue = self._catalogue
        catalogue.profiles.append(offer)
        catalogue.alive.append(False)
        catalogue.targets.append(0)
        catalogue.subjects.append(0)
        catalogue.support.append(0)
        catalogue.terms.append(np.zeros(0, dtype=np.int32))

    def _draw_reference_sample(self) -> None:
        rows = np.flatnonzero(self._catalogue.arrays()["alive"])
        if len(rows) > REFERENCE_SAMPLE:
            rows = np.sort(np.random.default_rng(2026).choice(rows, REFERENCE_SAMPLE, replace=False))
        self._reference_rows = rows.astype(np.int64)

    def _language_offsets(self) -> dict[str, np.ndarray]:
        return cached_language_offsets(self.embedder, self.vocabularies)

    # --- matching -------------------------------------------------------------------------------

    def profile(self, offer_id: str) -> OfferProfile | None:
        """The indexed offer with this id, None if it is not indexed (or was withdrawn)."""
        row = self._catalogue.rows_by_id.get(offer_id)
        return None if row is None else self._catalogue.profiles[row]

    def nearest(self, vector: NDArray[np.float32], k: int) -> tuple[list[OfferProfile], Vectors]:
        """The ``k`` indexed records nearest to a centred vector, whatever their eligibility
        (withdrawn ones left out), best first, with their centred vectors: what retrieval by
        meaning reads of a catalogue."""
        if self.index is None or not len(self) or k <= 0:
            return [], np.zeros((0, self.embedder.dimension), dtype=np.float32)
        rows, _ = self.index.search(vector, k, self._catalogue.arrays()["alive"])
        return [self._catalogue.profiles[int(row)] for row in rows], self.index.rows(rows)

    def eligible_rows(self, country: str, admitted: Collection[str] | None = None) -> NDArray[np.bool_]:
        """Mask of the offers that admit the country and are not withdrawn. ``admitted`` replaces
        the country's labels (reverse matching: the needs whose countries an offer admits)."""
        if admitted is None:
            try:
                admitted = self.countries.admitted_labels(country)
            except UnknownCountryError as error:
                raise MatchingError(f"{error}: the requesting country must be an ISO 3166-1 code") from None
        arrays = self._catalogue.arrays()
        mask = np.zeros(len(self._catalogue.profiles), dtype=bool)
        for label in admitted:
            rows = arrays["postings"].get(label)
            if rows is not None:
                mask[rows] = True
        allowed: NDArray[np.bool_] = mask & arrays["alive"]
        return allowed

    def embedding_baseline(
        self, need: NeedProfile, *, vector: NDArray[np.float32] | None = None, support_filter: bool = True
    ) -> list[str]:
        """Ids of the eligible offers in the pool nearest to the need's centred vector, nearest
        first, and nothing else: plain embedding search, the baseline the scoring is measured
        against (evaluation). With ``support_filter`` an offer whose types of support share none
        with the need's is left out (when both sides name some)."""
        if self.index is None or not len(self):
            return []
        allowed = self.eligible_rows(need.country)
        if support_filter:
            wanted = np.uint64(self._codebooks[SUPPORT_TYPES].mask(need.support_types, add=False))
            if wanted:
                given = self._catalogue.arrays()["support"]
                allowed &= (given == 0) | ((given & wanted) != 0)
        if vector is None:
            vector = self.need_vector(need)
        rows, _ = self.index.search(vector, self.pool, allowed)
        return [self._catalogue.profiles[int(row)].id for row in rows]

    def need_vector(self, need: NeedProfile) -> NDArray[np.float32]:
        """The need's centred query vector."""
        if self.centering is None:
            raise MatchingError("no offers are indexed yet")
        raw = self.embed([need.text])
        vector: NDArray[np.float32] = self.centering.center(raw, [need.language])[0]
        return vector

    def match(
        self,
        need: NeedProfile,
        limit: int = 10,
        *,
        explain: bool = True,
        semantic_passages: bool = False,
        penalties: Mapping[str, float] | None = None,
        vector: NDArray[np.float32] | None = None,
        admitted: Collection[str] | None = None,
        typical: Typical | None = None,
    ) -> list[Suggestion]:
        """The best ``limit`` offers for the need, best first.

        ``penalties`` maps offer ids to what feedback subtracts from their score for this need
        (see Weights.not_relevant). ``vector`` is the need's centred vector when the caller has it.
        ``admitted`` gives the eligibility labels to admit instead of the need's country's.
        ``typical`` is a typical offer's similarity when the caller measured it over more offers
        than these (a search streamed over the stored vectors); else a sample of these gives it.
        ``semantic_passages`` adds the sentences of the two texts closest in meaning to each
        explanation (it embeds sentences, so it costs a model call per new offer).
        """
        if not need.text.strip():
            raise MatchingError(
                f"need {need.id} has neither title nor description: there is nothing to match"
            )
        if self.index is None or not len(self):
            return []
        allowed = self.eligible_rows(need.country, admitted)
        if vector is None:
            vector = self.need_vector(need)
        rows, similarities = self.index.search(vector, max(self.pool, limit), allowed)
        if len(rows) == 0:
            return []
        if typical is None:
            typical = Typical.of(self.index.scores(vector, self._reference_rows))
        features = self._features(need, vector, rows, similarities, typical, penalties or {})
        scores = combine(features, self.weights)
        order = np.lexsort((rows, -scores))[:limit]
        suggestions = []
        for position in order:
            offer = self._catalogue.profiles[int(rows[position])]
            explanation = self.explain(need, offer, semantic_passages=semantic_passages) if explain else None
            suggestions.append(
                Suggestion(
                    offer_id=offer.id,
                    score=round(float(scores[position]), 6),
                    explanation=explanation,
                    features=features.row(int(position)),
                )
            )
        return suggestions

    def _features(
        self,
        need: NeedProfile,
        vector: NDArray[np.float32],
        rows: NDArray[np.int64],
        similarities: NDArray[np.float32],
        typical: Typical | None,
        penalties: Mapping[str, float],
    ) -> Features:
        arrays = self._catalogue.arrays()
        documents = max(len(self), 1)
        lexical = overlap_scores(
            terms(need.text, need.language),
            self._terms,
            self._terms.idf(documents),
            documents,
            [self._catalogue.terms[row] for row in rows],
        )
        books = self._codebooks
        profiles = self._catalogue.profiles
        return Features(
            semantic=standardise(similarities, typical),
            lexical=lexical,
            targets=share_of(books[TARGETS].mask(need.targets, add=False), arrays["targets"][rows]),
            subjects=share_of(books[SUBJECTS].mask(need.subjects, add=False), arrays["subjects"][rows]),
            support=support_fit(
                books[SUPPORT_TYPES].mask(need.support_types, add=False), arrays["support"][rows]
            ),
            penalty=np.array([penalties.get(profiles[row].id, 0.0) for row in rows], dtype=np.float64),
        )

    # --- explaining -----------------------------------------------------------------------------

    def explain(
        self,
        need: NeedProfile,
        offer: OfferProfile,
        *,
        semantic_passages: bool = False,
        clause_vectors: Mapping[str, NDArray[np.float32]] | None = None,
    ) -> Explanation:
        """What a person can check about why this offer was suggested for this need.
        ``clause_vectors`` holds raw embeddings of clauses (``clause_texts``) made before, by
        text: only the clauses it lacks are embedded for the passages close in meaning."""
        reason = self.countries.reason(need.country, offer.countries_eligible)
        if reason is None:
            raise MatchingError(f"offer {offer.id} does not admit {need.country}")
        shared_support = [code for code in need.support_types if code in offer.support_types]
        if shared_support:
            fit = SupportFit("match", self._labelled(SUPPORT_TYPES, shared_support, need, offer))
        elif need.support_types and offer.support_types:
            fit = SupportFit("different")
        else:
            fit = SupportFit("unknown")
        passages = self._word_passages(need, offer)
        if semantic_passages:
            passages = self._meaning_passages(need, offer, clause_vectors or {}) + passages
        return Explanation(
            shared_targets=self._labelled(
                TARGETS, [code for code in need.targets if code in offer.targets], need, offer
            ),
            shared_subjects=self._labelled(
                SUBJECTS, [code for code in need.subjects if code in offer.subjects], need, offer
            ),
            support_type_fit=fit,
            eligibility_reason=reason,
            common_languages=tuple(
                code for code in need.working_languages if code in offer.working_languages
            ),
            passages=tuple(passages),
        )

    def _labelled(
        self, vocabulary: str, codes: Sequence[str], need: NeedProfile, offer: OfferProfile
    ) -> tuple[LabelledCode, ...]:
        label = self.vocabularies.label
        return tuple(
            LabelledCode(
                code, label(vocabulary, code, need.language), label(vocabulary, code, offer.language)
            )
            for code in codes
        )

    def _word_passages(self, need: NeedProfile, offer: OfferProfile) -> list[Passage]:
        """For each side, the shortest passage holding most of the words both texts share: the
        matched words of one clause with a few words around them. A side is not quoted when its
        passage does not carry the match (one common word)."""
        shared = terms(need.text, need.language) & terms(offer.text, offer.language)
        if not shared:
            return []
        passages = []
        sides: tuple[tuple[Side, NeedProfile | OfferProfile], ...] = (("need", need), ("offer", offer))
        for side, profile in sides:
            best: tuple[int, int, Passage] | None = None
            for field_name, raw in _fields(profile):
                text = clean(raw)
                spans = shared_word_spans(text, profile.language, shared)
                for low, high in (c for s in sentences(text) for c in clauses(text, *s)):
                    inside = [span for span in spans if span[0] >= low and span[1] <= high]
                    window = _densest(inside)
                    if not window or not _carries(text, window):
                        continue
                    count = len({term for _, _, term in window})
                    start, end = around(text, window[0][0], window[-1][1], low, high)
                    if best is None or (count, start - end) > (best[0], best[1]):
                        passage = Passage(
                            side=side,
                            field=field_name,
                            start=start,
                            end=end,
                            text=text,
                            reason="shared words",
                            terms=tuple(dict.fromkeys(text[a:b] for a, b, _ in window)),
                        )
                        best = (count, start - end, passage)
            if best:
                passages.append(best[2])
        return passages

    def _meaning_passages(
        self, need: NeedProfile, offer: OfferProfile, known: Mapping[str, NDArray[np.float32]]
    ) -> list[Passage]:
        """The clause of each text closest in meaning to a clause of the other, when the two are
        close enough to carry the match (MEANING_SIMILARITY); else nothing."""
        need_clauses = _field_clauses(need)
        offer_clauses = _field_clauses(offer)
        if not need_clauses or not offer_clauses:
            return []
        need_vectors = self._sentence_embeddings([text[a:b] for _, text, a, b in need_clauses], known)
        offer_vectors = self._sentence_embeddings([text[a:b] for _, text, a, b in offer_clauses], known)
        similarity = need_vectors @ offer_vectors.T
        best_need, best_offer = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if float(similarity[best_need, best_offer]) < MEANING_SIMILARITY:
            return []
        chosen: tuple[tuple[Side, _Sentence], ...] = (
            ("need", need_clauses[int(best_need)]),
            ("offer", offer_clauses[int(best_offer)]),
        )
        return [
            Passage(side=side, field=field_name, start=start, end=end, text=text, reason="similar meaning")
            for side, (field_name, text, start, end) in chosen
        ]

    def _sentence_embeddings(
        self, texts: Sequence[str], known: Mapping[str, NDArray[np.float32]]
    ) -> NDArray[np.float32]:
        cache = self._sentence_vectors
        missing = [text for text in dict.fromkeys(texts) if text not in known and text not in cache]
        if missing:
            for text, vector in zip(missing, self.embed(missing), strict=True):
                cache[text] = vector
            while len(cache) > SENTENCE_CACHE_SIZE:
                cache.popitem(last=False)
        return np.stack([known[text] if text in known else cache[text] for text in texts])

    # --- keeping the index ----------------------------------------------------------------------

    def save(self, directory: Path | None = None, *, stamp: Mapping[str, Any] | None = None) -> Path:
        """Write the index to a directory (the configured one by default), replacing it whole.
        ``stamp`` says what it was built from (read back with ``read_stamp``)."""
        if self.index is None or self.centering is None:
            raise MatchingError("nothing to save: no offers are indexed")
        directory = directory or conf.index_dir()
        staging = directory.with_name(directory.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        catalogue = self._catalogue
        meta = {
            "format": FORMAT_VERSION,
            "embedder": self.embedder.name,
            "dimension": self.embedder.dimension,
            "offers": len(catalogue.profiles),
            "codebooks": {name: list(book.bits) for name, book in self._codebooks.items()},
            "terms": list(self._terms.ids),
        }
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))
        with (staging / "offers.jsonl").open("w", encoding="utf-8") as stream:
            for profile, alive in zip(catalogue.profiles, catalogue.alive, strict=True):
                stream.write(json.dumps({"alive": alive, **asdict(profile)}, ensure_ascii=False) + "\n")
        arrays: dict[str, Any] = self.centering.to_arrays()
        np.savez(staging / "centering.npz", **arrays)
        self.index.save(staging)
        (staging / STAMP_FILE).write_text(json.dumps(dict(stamp or {})))
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        staging.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
        return directory

    @classmethod
    def load(cls, directory: Path | None = None, embedder: Embedder | None = None, **options: Any) -> Matcher:
        """An index saved by ``save``; refuses one made with another embedding model."""
        directory = directory or conf.index_dir()
        meta = json.loads((directory / "meta.json").read_text())
        matcher = cls(embedder, **options)
        if meta.get("format") != FORMAT_VERSION or meta["embedder"] != matcher.embedder.name:
            raise MatchingError(
                f"the index in {directory} was made by {meta.get('embedder')!r} "
                f"(format {meta.get('format')}), not {matcher.embedder.name!r}: rebuild it"
            )
        matcher._codebooks = {name: Codebook(codes) for name, codes in meta["codebooks"].items()}
        matcher._terms = TermTable(
            ids={term: number for number, term in enumerate(meta["terms"])},
            document_frequency=[0] * len(meta["terms"]),
        )
        with np.load(directory / "centering.npz") as arrays:
            matcher.centering = LanguageCentering.from_arrays(dict(arrays))
        matcher.index = load_index(directory)
        alive = []
        profiles = []
        with (directory / "offers.jsonl").open(encoding="utf-8") as stream:
            for line in stream:
                entry = json.loads(line)
                alive.append(bool(entry.pop("alive")))
                profiles.append(_offer_from_json(entry))
        matcher._append(profiles, alive)
        matcher._draw_reference_sample()
        return matcher


def read_stamp(directory: Path) -> dict[str, Any] | None:
    """The stamp an index was saved with, None when there is no index (a small file, read
    without loading the index)."""
    try:
        stamp: dict[str, Any] = json.loads((directory / STAMP_FILE).read_text())
    except (OSError, ValueError):
        return None
    return stamp


def _offer_from_json(entry: Mapping[str, Any]) -> OfferProfile:
    lists = {"countries_eligible", "support_types", "targets", "subjects", "languages"}
    return OfferProfile(
        id=str(entry["id"]),
        language=str(entry["language"]),
        title=str(entry["title"]),
        description=str(entry["description"]),
        provider=str(entry.get("provider", "")),
        **{name: tuple(str(code) for code in entry.get(name, ())) for name in lists},
    )


_Sentence = tuple[FieldName, str, int, int]


def _fields(profile: NeedProfile | OfferProfile) -> tuple[tuple[FieldName, str], ...]:
    return (("title", profile.title), ("description", profile.description))


def _field_clauses(profile: NeedProfile | OfferProfile) -> list[_Sentence]:
    """(field, cleaned text, start, end) of the clauses of a profile's title and description (of
    its first twenty sentences), leaving out those too short to say anything (a name alone)."""
    found: list[_Sentence] = []
    for field_name, raw in _fields(profile):
        text = clean(raw)
        for sentence in sentences(text)[:20]:
            found.extend(
                (field_name, text, start, end)
                for start, end in clauses(text, *sentence)
                if len(text[start:end].split()) >= MIN_CLAUSE_WORDS or _unspaced(text[start:end])
            )
    return found


def clause_texts(profile: NeedProfile | OfferProfile) -> list[str]:
    """The clauses of a profile that an explanation compares by meaning, as they are embedded:
    what the writer embeds once per record version and stores (index.py), so that explaining a
    suggestion embeds only what is new."""
    return [text[start:end] for _, text, start, end in _field_clauses(profile)]


def clauses_digest(texts: Sequence[str], embedder_name: str) -> str:
    """What stored clause vectors were made from: the model, the text preparation and the
    clauses themselves (so a change of how texts are cut into clauses makes them again)."""
    key = json.dumps([embedder_name, EMBEDDING_TEXT_VERSION, list(texts)], ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()


def _unspaced(text: str) -> bool:
    """Text of a script written without spaces (Chinese), long enough to say something."""
    return " " not in text and len(text) >= MIN_CLAUSE_WORDS * 2


def _densest(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The run of matched words (start, end, term) with most distinct terms that fits in a
    quoted passage (less its context), the shortest of those."""
    best: list[tuple[int, int, str]] = []
    room = MAX_PASSAGE_CHARS - 2 * CONTEXT_CHARS
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            if spans[last][1] - spans[first][0] > room:
                break
            run = list(spans[first : last + 1])
            key = (len({term for _, _, term in run}), run[0][0] - run[-1][1])
            if not best or key > (len({term for _, _, term in best}), best[0][0] - best[-1][1]):
                best = run
    return best


def _carries(text: str, window: Sequence[tuple[int, int, str]]) -> bool:
    """Whether shared words carry a match: two different ones, or one that names something (an
    acronym or a figure: METT, CITES, 2030), not a common word both texts happen to use."""
    if len({term for _, _, term in window}) >= 2:
        return True
    word = text[window[0][0] : window[0][1]]
    return any(character.isdigit() for character in word) or (len(word) > 1 and word.isupper())


def _offsets_key(embedder: Embedder, vocabularies: Vocabularies) -> str:
    texts = json.dumps(vocabularies.parallel_texts(), ensure_ascii=False, sort_keys=True)
    # The version of the text preparation is part of the key: offsets of differently prepared
    # labels do not fit.
    return hashlib.sha256(f"{embedder.name}\n{EMBEDDING_TEXT_VERSION}\n{texts}".encode()).hexdigest()[:16]


def cached_language_offsets(embedder: Embedder, vocabularies: Vocabularies) -> dict[str, np.ndarray]:
    """The embedder's language offsets (centering.language_offsets), computed once per model and
    vocabulary release: shipped in data/ for the default model, else cached in the index
    directory (embedding the labels takes a few seconds)."""
    key = _offsets_key(embedder, vocabularies)
    name = f"language-offsets-{key}.npz"
    for candidate in (DATA_DIR / name, conf.index_dir() / name):
        if candidate.exists():
            with np.load(candidate) as stored:
                return {language: np.asarray(stored[language]) for language in stored.files}
    offsets = language_offsets(embedder, vocabularies)
    target = conf.index_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = offsets
    np.savez(target, **arrays)
    return offsets
