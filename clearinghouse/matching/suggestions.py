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

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from clearinghouse.matching.embedders import default_embedder
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.index import Catalogue, embed_texts, matcher_for
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.profiles import Explanation, NeedProfile, OfferProfile, Suggestion
from clearinghouse.matching.sources import (
    Profile,
    Side,
    as_query,
    from_catalogue_entry,
    is_matchable,
    need_profile,
    offer_profile,
    text_digest,
)
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Expert, Offer, Opportunity, Provider, Resource

# Candidates ranked before records that closed since the last rebuild, or of kinds not asked
# for, are set aside: a few more than asked for, or the whole pool when kinds are filtered.
EXTRA_CANDIDATES = 20


@dataclass(frozen=True)
class Suggested:
    """One suggestion: the published record (Offer, Opportunity, Provider, Expert, Resource for a
    need; Need or Request for an offer), its score and why it was suggested."""

    record: Record
    score: float
    explanation: Explanation


def support_for(
    record: Need | Request,
    *,
    limit: int = 10,
    kinds: Collection[type[Record]] | None = None,
    penalties: Mapping[str, float] | None = None,
) -> list[Suggested]:
    """Published, current support for a need or request, best first. ``kinds`` keeps only these
    record types; ``penalties`` maps record identifiers to what "not relevant" feedback subtracts
    (Weights.not_relevant each). Raises MatchingError, with a translated message, when the
    record cannot be matched."""
    need = need_profile(record)
    _check_text(need, _("This need has no title or description in any language: there is nothing to match."))
    matcher = matcher_for(Catalogue.SUPPORT)
    if need.country and need.country not in matcher.countries:
        raise MatchingError(
            _("The requesting country %(code)s is not in the country reference data.")
            % {"code": need.country}
        )
    if not len(matcher):
        return []
    wanted = limit + EXTRA_CANDIDATES if kinds is None else max(matcher.pool, limit)
    candidates = matcher.match(
        need, wanted, explain=False, penalties=penalties, vector=_vector(matcher, need, "need")
    )
    return _explained(
        matcher, candidates, kinds, limit, lambda entry: matcher.explain(need, entry, semantic_passages=True)
    )


def needs_for(
    record: Offer | Provider | Expert | Resource | Opportunity,
    *,
    limit: int = 10,
    penalties: Mapping[str, float] | None = None,
) -> list[Suggested]:
    """Published, open needs and requests this record of support could serve, best first: those
    whose requesting country its eligibility admits. ``penalties`` as for ``support_for``."""
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
        vector=_vector(matcher, query, "support"),
        admitted=admitted,
    )
    return _explained(
        matcher,
        candidates,
        None,
        limit,
        lambda entry: matcher.explain(from_catalogue_entry(entry), offer, semantic_passages=True),
    )


def _explained(
    matcher: Matcher,
    candidates: Sequence[Suggestion],
    kinds: Collection[type[Record]] | None,
    limit: int,
    explain: Callable[[OfferProfile], Explanation],
) -> list[Suggested]:
    """The first ``limit`` candidates still public and current (and of the kinds asked for),
    as records with their explanations: only these are explained."""
    ranked = _live_records([candidate.offer_id for candidate in candidates], kinds)
    suggested = []
    for candidate in candidates:
        found = ranked.get(candidate.offer_id)
        entry = matcher.profile(candidate.offer_id)
        if found is None or entry is None:
            continue
        suggested.append(Suggested(found, candidate.score, explain(entry)))
        if len(suggested) == limit:
            break
    return suggested


def _check_text(profile: Profile, message: str) -> None:
    if not profile.text.strip():
        raise MatchingError(message)


def _vector(matcher: Matcher, query: NeedProfile, side: Side) -> NDArray[np.float32]:
    """The query's centred vector: its stored embedding when its text has not changed since
    (published records), else embedded now (a draft, or an edit the worker has not seen)."""
    model = default_embedder()
    stored = StoredEmbedding.objects.filter(identifier=query.id, side=side, embedder=model.name).first()
    if stored is not None and stored.text_digest == text_digest(query, model.name):
        raw = stored.array.reshape(1, -1)
    else:
        raw = embed_texts(model, [query.text])
    if matcher.centering is None:
        raise MatchingError(_("No records are indexed yet."))
    vector: NDArray[np.float32] = matcher.centering.center(raw, [query.language])[0]
    return vector


def _live_records(identifiers: Sequence[str], kinds: Collection[type[Record]] | None) -> dict[str, Record]:
    """The records of these identifiers that are public and current, one query per record type."""
    by_model: dict[type[Record], list[str]] = defaultdict(list)
    for identifier in identifiers:
        model = registry.model_for_identifier(identifier)
        if model is not None and (kinds is None or model in kinds):
            by_model[model].append(identifier)
    found: dict[str, Record] = {}
    for model, wanted in by_model.items():
        records: Any = model._default_manager.filter(identifier__in=wanted, live=True)
        if model in _JOINS:
            records = records.select_related(*_JOINS[model])
        for item in records:
            if is_matchable(item):
                found[item.identifier] = item
    return found


# What a console row shows of a record besides its own fields.
_JOINS: dict[type[Record], tuple[str, ...]] = {
    Offer: ("provider", "owner_country", "owner_organisation"),
    Opportunity: ("provider", "owner_country", "owner_organisation"),
    Provider: ("organisation", "owner_country", "owner_organisation"),
    Need: ("owner_country", "owner_organisation"),
    Request: ("owner_country", "owner_organisation"),
}
