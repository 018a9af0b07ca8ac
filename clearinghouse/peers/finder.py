"""Peers of a need: the other Parties with similar needs, and those that addressed one
(decision XIII/23, paragraphs 5(b), 5(j) and 6).

A need's peers are ranked by the matcher itself, not by a second model: the other Parties'
published needs are profiled as the needs catalogue profiles them (``matching.sources``), their
vectors are the ones the worker stored (``StoredEmbedding``; a need whose text changed since,
or an addressed need the catalogue no longer holds, is embedded now, all in one model call), and
a matcher built over them in memory ranks them for the need by the same evidence as support
(meaning across languages, shared words, GBF targets, subjects, types of support;
``matching.scoring``) and explains each pair (``Matcher.explain``).

Each Party is one row: its best-matching needs, the best one's score, and what the two Parties
share (subjects and targets, text close in meaning, languages). A Party has *addressed* a similar
need when one of its listed needs is addressed, or reached a completed cooperation with an outcome.
Queries are fixed in number whatever the number of candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
from babel.languages import get_official_languages
from django.db.models import Q
from django.utils.translation import gettext as _

from clearinghouse.core.languages import CONTENT_LANGUAGES, is_language_code
from clearinghouse.geo.models import Country
from clearinghouse.matching.embedders import default_embedder
from clearinghouse.matching.engine import Matcher
from clearinghouse.matching.index import countries, embed_texts
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.profiles import Explanation, LabelledCode, NeedProfile
from clearinghouse.matching.sources import as_catalogue_entry, need_profile, text_digest, with_related
from clearinghouse.matchmaking.models import Match, MatchState
from clearinghouse.needs.models import Need, NeedStatus

# Needs read as candidates, most recent first: enough for every Party's needs many times over;
# a registry beyond it is ranked among its newest needs.
MAX_CANDIDATES = 3000
# Parties listed, and needs listed per Party.
PEERS = 10
NEEDS_PER_PARTY = 3
# A need is a peer's only with evidence: a GBF target or subject in common, or a text this many
# standard deviations closer in meaning than a typical need of the registry (the matcher's
# ``semantic`` feature). Unrelated needs of other Parties are left out, not ranked last.
MIN_SEMANTIC = 1.0
# Parties sharing a language learn from each other more easily (paragraph 6): a shared language
# adds this much to a Party's score, less than one shared GBF target (1.5).
SHARED_LANGUAGE_BONUS = 0.5


class PeerError(ValueError):
    """The need has no peers to look for (not published, not a Party's); the message says why."""


@dataclass(frozen=True)
class PeerNeed:
    """One of a peer Party's needs, as it matched the need asked about."""

    need: Need
    score: float
    features: dict[str, float]
    explanation: Explanation
    addressed: bool
    completed_cooperation: bool

    @property
    def close_in_meaning(self) -> bool:
        return self.features.get("semantic", 0.0) >= MIN_SEMANTIC


@dataclass(frozen=True)
class PeerParty:
    """A Party with needs similar to the need asked about, best first."""

    country: Country
    score: float
    needs: tuple[PeerNeed, ...]
    shared_languages: tuple[str, ...]

    @property
    def addressed(self) -> bool:
        """Whether the Party addressed a similar need (addressed, or through a completed cooperation)."""
        return any(need.addressed or need.completed_cooperation for need in self.needs)

    @property
    def best(self) -> PeerNeed:
        return self.needs[0]

    @property
    def shared_targets(self) -> tuple[LabelledCode, ...]:
        return _union(need.explanation.shared_targets for need in self.needs)

    @property
    def shared_subjects(self) -> tuple[LabelledCode, ...]:
        return _union(need.explanation.shared_subjects for need in self.needs)


def _union(groups: Iterable[Sequence[LabelledCode]]) -> tuple[LabelledCode, ...]:
    found: dict[str, LabelledCode] = {}
    for group in groups:
        for code in group:
            found.setdefault(code.code, code)
    return tuple(found.values())


@cache
def official_languages(country_code: str) -> frozenset[str]:
    """The languages official or used de facto in a country (CLDR, through Babel), as content
    languages are stored (Kiswahili in Kenya and Tanzania, Quechua in Peru and Bolivia)."""
    codes = (code.split("_")[0] for code in get_official_languages(country_code, de_facto=True))
    return frozenset(code for code in codes if is_language_code(code))


def _record_languages(need: Need) -> set[str]:
    return {need.original_language, *(need.support_languages or ())}


def shared_languages(
    need: Need, ours: Country, theirs_of: Country, their_needs: Iterable[Need]
) -> tuple[str, ...]:
    """The languages the two Parties share: official or de facto languages of each, and the
    languages of their records (written in, support wanted in); the six UN languages first."""
    mine = set(official_languages(ours.code)) | _record_languages(need)
    theirs = set(official_languages(theirs_of.code))
    for other in their_needs:
        theirs |= _record_languages(other)
    shared = mine & theirs
    return (
        *(code for code in CONTENT_LANGUAGES if code in shared),
        *sorted(shared - set(CONTENT_LANGUAGES)),
    )


def _addressed_through_matches(identifiers: Sequence[int]) -> set[int]:
    """The needs (ids) whose matches, directly or through a request, were completed with an
    outcome: two queries."""
    done = Q(state=MatchState.COMPLETED) | Q(outcome__isnull=False)
    direct = Match.objects.filter(done, case__need_id__in=identifiers).values_list("case__need_id", flat=True)
    through = Match.objects.filter(done, case__request__needs__in=identifiers).values_list(
        "case__request__needs", flat=True
    )
    return {pk for pk in [*direct, *through] if pk is not None}


def candidates(need: Need) -> list[Need]:
    """The other Parties' published needs that are not withdrawn, newest first (one query, and
    one per term prefetched)."""
    found = with_related(
        Need,
        Need.objects.filter(live=True, owner_country__isnull=False)
        .exclude(owner_country_id=need.owner_country_id)
        .exclude(status=NeedStatus.WITHDRAWN)
        .order_by("-pk"),
    )
    return list(found[:MAX_CANDIDATES])


def _raw_vectors(profiles: Sequence[NeedProfile]) -> np.ndarray:
    """The profiles' raw vectors: stored ones whose text is unchanged, the rest embedded now."""
    model = default_embedder()
    stored = {
        identifier: (digest, bytes(vector))
        for identifier, digest, vector in StoredEmbedding.objects.filter(
            side="need", embedder=model.name, record_type=Need.RECORD_TYPE
        ).values_list("identifier", "text_digest", "vector")
    }
    vectors: list[np.ndarray | None] = []
    missing: list[int] = []
    for position, profile in enumerate(profiles):
        row = stored.get(profile.id)
        if row is not None and row[0] == text_digest(profile, model.name):
            vectors.append(np.frombuffer(row[1], dtype="<f4").astype(np.float32))
        else:
            vectors.append(None)
            missing.append(position)
    if missing:
        embedded = embed_texts(model, [profiles[position].text for position in missing])
        for position, vector in zip(missing, embedded, strict=True):
            vectors[position] = vector
    return np.vstack([vector for vector in vectors if vector is not None]).astype(np.float32)


def peers_of(need: Need, *, limit: int = PEERS, per_party: int = NEEDS_PER_PARTY) -> list[PeerParty]:
    """The Parties other than the need's own with similar published needs, best first, each with
    its best-matching needs and what the two share. Raises PeerError when the need is not a
    published need of a Party."""
    if not need.live or need.owner_country_id is None:
        raise PeerError(_("Only a published need of a Party has peers."))
    need = with_related(Need, Need.objects.filter(pk=need.pk)).get()
    own = need.owner_country
    query = need_profile(need)
    if own is None:
        raise PeerError(_("Only a published need of a Party has peers."))
    if not query.text.strip():
        return []
    found = [(other, need_profile(other)) for other in candidates(need)]
    found = [(other, profile) for other, profile in found if profile.text.strip() and profile.country]
    if not found:
        return []
    records = {profile.id: other for other, profile in found}
    profiles = [profile for _, profile in found]
    raw = _raw_vectors([query, *profiles])
    entries = [as_catalogue_entry(profile) for profile in profiles]
    pool = Matcher(default_embedder(), countries=countries(), pool=len(entries))
    pool.build(entries, raw[1:], context=(raw[:1], [query.language]))
    if pool.centering is None:  # build always sets the means; typed as optional
        return []
    vector = pool.centering.center(raw[:1], [query.language])[0]
    ranked = pool.match(
        query,
        len(entries),
        explain=False,
        vector=vector,
        admitted={profile.country for profile in profiles},
    )
    completed = _addressed_through_matches([record.pk for record in records.values()])
    by_party: dict[Country, list[tuple[Need, float, dict[str, float]]]] = defaultdict(list)
    for suggestion in ranked:
        features = suggestion.features
        evidence = features.get("targets", 0) > 0 or features.get("subjects", 0) > 0
        if not evidence and features.get("semantic", 0) < MIN_SEMANTIC:
            continue
        other = records[suggestion.offer_id]
        if other.owner_country is not None and len(by_party[other.owner_country]) < per_party:
            by_party[other.owner_country].append((other, suggestion.score, features))
    parties: list[PeerParty] = []
    for country, listed in by_party.items():
        languages = shared_languages(need, own, country, [other for other, _, _ in listed])
        score = listed[0][1] + (SHARED_LANGUAGE_BONUS if languages else 0.0)
        parties.append(PeerParty(country, round(score, 6), tuple(_unexplained(listed, completed)), languages))
    parties.sort(key=lambda party: (-party.score, party.country.code))
    return [_explained(pool, query, party) for party in parties[:limit]]


def _unexplained(
    listed: Sequence[tuple[Need, float, dict[str, float]]], completed: set[int]
) -> Iterable[PeerNeed]:
    for other, score, features in listed:
        yield PeerNeed(
            need=other,
            score=score,
            features=features,
            explanation=_EMPTY,
            addressed=other.status == NeedStatus.ADDRESSED,
            completed_cooperation=other.pk in completed,
        )


def _explained(pool: Matcher, query: NeedProfile, party: PeerParty) -> PeerParty:
    """The party's needs with their explanations. The best need's also quotes the clauses of the
    two texts closest in meaning (a model call over their sentences); the others, shared words."""
    needs = []
    for position, peer in enumerate(party.needs):
        entry = pool.profile(peer.need.identifier)
        if entry is None:
            continue
        # Filed under the peer's country: explained as if the need were asked from there, since
        # eligibility means nothing between two needs.
        explanation = pool.explain(
            replace(query, country=entry.countries_eligible[0]), entry, semantic_passages=position == 0
        )
        needs.append(replace(peer, explanation=explanation))
    return replace(party, needs=tuple(needs))


_EMPTY = Explanation.from_json(
    {
        "shared_targets": [],
        "shared_subjects": [],
        "support_type_fit": {"status": "unknown", "shared": []},
        "eligibility_reason": {"rule": "open", "label": "", "country": ""},
        "common_languages": [],
        "passages": [],
    }
)
