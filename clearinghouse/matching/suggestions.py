"""What the coordinator's console asks the matcher: support for a need or request, and the needs
an offer of support could serve, as published records with their explanations.

Both directions read the catalogues the worker keeps (index.py) and rank by the same evidence
(meaning, shared words, vocabularies, types of support; scoring.py); explanations are always
``Matcher.explain(need, offer)``, so they read the same way both directions. Eligibility:

- support for a need: the offers whose eligibility list admits the requesting country; a need
  with no country (an international organisation's) is admitted only by offers open to all
  (an empty list or "global"): no list of countries or groups can be said to include it;
- needs for an offer: the needs whose country the offer's list admits (all of them, and the
  needs with no country, when it is open to all).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from clearinghouse.matching.embedders import default_embedder
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.index import Catalogue, clause_vectors, embed_texts, matcher_for
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.profiles import Explanation, NeedProfile, OfferProfile, Suggestion
from clearinghouse.matching.sources import (
    Profile,
    Side,
    as_query,
    from_catalogue_entry,
    need_profile,
    offer_profile,
    profile_from_json,
    text_digest,
    with_related,
)
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record

# Candidates ranked before records that closed since the last rebuild, or of kinds not asked
# for, are set aside: a few more than asked for, or the whole pool when kinds are filtered.
EXTRA_CANDIDATES = 20
# Part of what a stored explanation was made from: raise it when ``Matcher.explain`` changes
# what it says, and explanations stored before are made again.
EXPLANATION_VERSION = 2


@dataclass(frozen=True)
class Suggested:
    """One suggestion: the published record (of a type on the support side for a need, on the
    need side for an offer), its score and why it was suggested."""

    record: Record
    score: float
    explanation: Explanation


@dataclass(frozen=True)
class ExplanationKey:
    """Which explanation: a need's (or request's) published revision and a support record's,
    by the embedding model that found their passages close in meaning. ``digest`` covers what
    the explanation was made from (both profiles, the eligibility rule that admits the country,
    EXPLANATION_VERSION): a stored explanation whose digest differs is made again."""

    need: str
    need_revision: int
    support: str
    support_revision: int
    embedder: str
    digest: str


class ExplanationStore(Protocol):
    """Where explanations are kept once made (matchmaking keeps them in its database): an
    explanation embeds the sentences of both texts, so it is worth making once per pair of
    published revisions."""

    def read(self, keys: Collection[ExplanationKey]) -> dict[ExplanationKey, Explanation]: ...

    def write(self, explanations: Mapping[ExplanationKey, Explanation]) -> None: ...


def support_for(
    record: Record,
    *,
    limit: int = 10,
    kinds: Collection[type[Record]] | None = None,
    penalties: Mapping[str, float] | None = None,
    explanations: ExplanationStore | None = None,
) -> list[Suggested]:
    """Published, current support for a need or request, best first. ``kinds`` keeps only these
    record types; ``penalties`` maps record identifiers to what "not relevant" feedback subtracts
    (Weights.not_relevant each); ``explanations`` keeps explanations made once. Raises
    MatchingError, with a translated message, when the record cannot be matched."""
    answer = support_for_each(
        [record],
        limit=limit,
        kinds=kinds,
        penalties={record.identifier: penalties or {}},
        explanations=explanations,
    )[record.identifier]
    if isinstance(answer, MatchingError):
        raise answer
    return answer


def support_for_each(
    records: Sequence[Record],
    *,
    limit: int = 10,
    kinds: Collection[type[Record]] | None = None,
    penalties: Mapping[str, Mapping[str, float]] | None = None,
    explanations: ExplanationStore | None = None,
) -> dict[str, list[Suggested] | MatchingError]:
    """``support_for`` of several needs and requests at once, by identifier (a need that cannot
    be matched gets its MatchingError). What they read is read together: their profiles, their
    stored embeddings, the suggested records and the stored explanations, a fixed number of
    queries whatever the number of records. ``penalties`` maps each record's identifier to its
    own (see ``support_for``)."""
    answers: dict[str, list[Suggested] | MatchingError] = {}
    if not records:
        return answers
    matcher = matcher_for(Catalogue.SUPPORT)
    stored = _stored([record.identifier for record in records], "need")
    needs = _need_profiles(records, stored)
    ranked: list[tuple[Record, NeedProfile, list[Suggestion]]] = []
    queries: list[tuple[Record, NeedProfile]] = []
    for record in records:
        need = needs[record.identifier]
        if not need.text.strip():
            answers[record.identifier] = MatchingError(
                _("This need has no title or description in any language: there is nothing to match.")
            )
        elif need.country and need.country not in matcher.countries:
            answers[record.identifier] = MatchingError(
                _("The requesting country %(code)s is not in the country reference data.")
                % {"code": need.country}
            )
        elif not len(matcher):
            answers[record.identifier] = []
        else:
            queries.append((record, need))
    wanted = limit + EXTRA_CANDIDATES if kinds is None else max(matcher.pool, limit)
    vectors = _vectors(matcher, [query[1] for query in queries], stored)
    for record, need in queries:
        candidates = matcher.match(
            need,
            wanted,
            explain=False,
            penalties=(penalties or {}).get(record.identifier),
            vector=vectors[need.id],
        )
        ranked.append((record, need, candidates))
    live = _first_live([[c.offer_id for c in entry[2]] for entry in ranked], kinds, limit)
    pairs: list[_Pair] = []
    for record, need, candidates in ranked:
        chosen: list[_Pair] = []
        for candidate in candidates:
            found, entry = live.get(candidate.offer_id), matcher.profile(candidate.offer_id)
            if found is not None and entry is not None:
                chosen.append(_Pair(record, found, candidate.score, need, entry, need_record=record))
            if len(chosen) == limit:
                break
        pairs += chosen
    suggested: dict[str, list[Suggested]] = {entry[0].identifier: [] for entry in ranked}
    for pair, explanation in zip(pairs, _explain(matcher, pairs, explanations), strict=True):
        suggested[pair.query.identifier].append(Suggested(pair.found, pair.score, explanation))
    return answers | suggested


def needs_for(
    record: Record,
    *,
    limit: int = 10,
    penalties: Mapping[str, float] | None = None,
    explanations: ExplanationStore | None = None,
) -> list[Suggested]:
    """Published, open needs and requests this record of support could serve, best first: those
    whose requesting country its eligibility admits. ``penalties`` and ``explanations`` as for
    ``support_for``."""
    offer = offer_profile(record)
    _check_text(
        offer, _("This record has no title or description in any language: there is nothing to match.")
    )
    matcher = matcher_for(Catalogue.NEEDS)
    if not len(matcher):
        return []
    query = as_query(offer)
    admitted = matcher.countries.admitted_by(offer.countries_eligible)
    candidates = matcher.match(
        query,
        limit + EXTRA_CANDIDATES,
        explain=False,
        penalties=penalties,
        vector=_vectors(matcher, [query], _stored([query.id], "support"))[query.id],
        admitted=admitted,
    )
    live = _first_live([[candidate.offer_id for candidate in candidates]], None, limit)
    pairs: list[_Pair] = []
    for candidate in candidates:
        found, entry = live.get(candidate.offer_id), matcher.profile(candidate.offer_id)
        if found is not None and entry is not None:
            pairs.append(
                _Pair(record, found, candidate.score, from_catalogue_entry(entry), offer, need_record=found)
            )
        if len(pairs) == limit:
            break
    return [
        Suggested(pair.found, pair.score, explanation)
        for pair, explanation in zip(pairs, _explain(matcher, pairs, explanations), strict=True)
    ]


@dataclass(frozen=True)
class _Pair:
    """A suggestion to explain: the record asked about (``query``), the record found, and the
    need and offer as the explanation reads them (either may be the query)."""

    query: Record
    found: Record
    score: float
    need: NeedProfile
    offer: OfferProfile
    need_record: Record

    @property
    def support_record(self) -> Record:
        return self.found if self.need_record is self.query else self.query


def _explain(matcher: Matcher, pairs: Sequence[_Pair], store: ExplanationStore | None) -> list[Explanation]:
    """Each pair's explanation: read from the store when it holds it for both published
    revisions, else made and stored, from the clause vectors the writer stored with both records
    (only the clauses of a draft, or of an edit the writer has not seen yet, are embedded).
    Drafts are explained, not stored."""
    keys = [_key(matcher, pair) for pair in pairs]
    stored = store.read([key for key in keys if key is not None]) if store is not None else {}
    to_make: list[tuple[str, Side, Profile]] = []
    for pair, key in zip(pairs, keys, strict=True):
        if key is None or key not in stored:
            to_make.append((pair.need_record.identifier, "need", pair.need))
            to_make.append((pair.support_record.identifier, "support", pair.offer))
    clauses = clause_vectors(to_make, matcher.embedder)
    made: dict[ExplanationKey, Explanation] = {}
    explained = []
    for pair, key in zip(pairs, keys, strict=True):
        explanation = stored.get(key) if key is not None else None
        if explanation is None:
            explanation = matcher.explain(
                pair.need, pair.offer, semantic_passages=True, clause_vectors=clauses
            )
            if key is not None:
                made[key] = explanation
        explained.append(explanation)
    if store is not None and made:
        store.write(made)
    return explained


def _key(matcher: Matcher, pair: _Pair) -> ExplanationKey | None:
    need_revision = pair.need_record.live_revision_number
    support_revision = pair.support_record.live_revision_number
    live = pair.need_record.live and pair.support_record.live
    if not live or need_revision is None or support_revision is None:
        return None
    made_from = [
        EXPLANATION_VERSION,
        asdict(pair.need),
        asdict(pair.offer),
        # The country directory's groups are edited in the admin: the rule that admits the
        # country is what the explanation says of eligibility.
        repr(matcher.countries.reason(pair.need.country, pair.offer.countries_eligible)),
    ]
    digest = hashlib.sha256(json.dumps(made_from, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return ExplanationKey(
        need=pair.need_record.identifier,
        need_revision=need_revision,
        support=pair.support_record.identifier,
        support_revision=support_revision,
        embedder=matcher.embedder.name,
        digest=digest,
    )


def _stored(identifiers: Collection[str], side: Side) -> dict[str, StoredEmbedding]:
    """The rows the worker stored for these records (the current model's), in one query."""
    rows = StoredEmbedding.objects.filter(
        identifier__in=identifiers, side=side, embedder=default_embedder().name
    )
    return {row.identifier: row for row in rows}


def _need_profiles(
    records: Sequence[Record], stored: Mapping[str, StoredEmbedding]
) -> dict[str, NeedProfile]:
    """The records' profiles: the one the worker stored from the row when the row has not been
    saved since (what it says is public, and unchanged), else made from the row, what it reads
    fetched in one go per record type (a draft, or a change the worker has not seen yet)."""
    profiles: dict[str, NeedProfile] = {}
    by_model: dict[type[Record], list[int]] = defaultdict(list)
    for record in records:
        row = stored.get(record.identifier)
        if row is not None and record.live and row.updated_at >= record.updated_at:
            profile = profile_from_json("need", row.profile)
            if isinstance(profile, NeedProfile):
                profiles[record.identifier] = profile
                continue
        by_model[type(record)].append(record.pk)
    for model, keys in by_model.items():
        for found in with_related(model, model._default_manager.filter(pk__in=keys)):
            profiles[found.identifier] = need_profile(found)
    return profiles


def _check_text(profile: Profile, message: str) -> None:
    if not profile.text.strip():
        raise MatchingError(message)


def _vectors(
    matcher: Matcher, queries: Sequence[NeedProfile], stored: Mapping[str, StoredEmbedding]
) -> dict[str, NDArray[np.float32]]:
    """The queries' centred vectors, by id: their stored embeddings when their text has not
    changed since (published records), else embedded now (a draft, or an edit the worker has
    not seen yet), all in one model call."""
    if not queries:
        return {}
    model = default_embedder()
    raw: dict[str, NDArray[np.float32]] = {}
    missing = []
    for query in queries:
        row = stored.get(query.id)
        if row is not None and row.text_digest == text_digest(query, model.name):
            raw[query.id] = row.array
        else:
            missing.append(query)
    if missing:
        raw.update(
            zip([query.id for query in missing], embed_texts(model, [q.text for q in missing]), strict=True)
        )
    if matcher.centering is None:
        raise MatchingError(_("No records are indexed yet."))
    centred = matcher.centering.center(
        np.vstack([raw[query.id] for query in queries]), [query.language for query in queries]
    )
    return {query.id: centred[position] for position, query in enumerate(queries)}


def _first_live(
    rankings: Sequence[Sequence[str]], kinds: Collection[type[Record]] | None, limit: int
) -> dict[str, Record]:
    """The public, current records (of the kinds asked for) among the first ``limit`` of each
    ranking; a ranking with fewer has the rest of its candidates read too (records that closed
    since the last rebuild). At most two queries per record type, whatever the rankings."""
    kept = [
        [
            identifier
            for identifier in ranking
            if kinds is None or registry.model_for_identifier(identifier) in kinds
        ]
        for ranking in rankings
    ]
    found = _live_records({identifier for ranking in kept for identifier in ranking[:limit]})
    short = [
        ranking for ranking in kept if sum(identifier in found for identifier in ranking[:limit]) < limit
    ]
    rest = {identifier for ranking in short for identifier in ranking[limit:]}
    return found | _live_records(rest) if rest else found


def _live_records(identifiers: Collection[str]) -> dict[str, Record]:
    """The records of these identifiers that are public and current, one query per record type
    (with what a console row shows of them: their owner; not the terms their profiles read,
    which the explanations already hold)."""
    found: dict[str, Record] = {}
    for record_type, wanted in registry.by_type(identifiers).items():
        records = (
            record_type.matchable(with_facts=False)
            .filter(identifier__in=wanted)
            .select_related("owner_country", "owner_organisation")
        )
        found |= {record.identifier: record for record in records}
    return found
