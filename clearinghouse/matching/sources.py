"""Profiles from the registries' records: what the matcher reads of a record that asks for
support (a need, a request) or offers it. Each record type registers its side, which of its
records are current and its facts (``publishing.registry.Matched``); this module names no
record class.

A type that is searched but not matched (``search=`` without ``matching=``: initiatives,
partnerships, needs assessments...) is embedded too, on a third side, ``record``, so that search
can find its records by meaning: its profile holds its title and its searched texts
(``Searched.texts``), nothing to match on. Its public records are its published ones.

A profile is made from the record's row, which holds what is public: a published record with
pending edits keeps them in its revision (publishing.workflow), so matching sees only what
anyone can read. Texts are taken in the record's original language (another language it has
when that one is empty), rich text is reduced to plain text, and the codes of vocabulary terms
are those of ``matching.vocabulary``: both read the same files (vocabularies/data); Aichi targets
count as the GBF targets they map to. An expert's name, e-mail and biography are personal data:
the expert's facts hold them only with consent (support/records.py; profiles are written to disk
with the index and shown in explanations).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, Literal

from django.db.models import Model, QuerySet
from django.utils.html import strip_tags

from clearinghouse.matching.embedders import EMBEDDING_TEXT_VERSION
from clearinghouse.matching.profiles import NeedProfile, OfferProfile, join_text
from clearinghouse.matching.vocabulary import SUBJECTS, SUPPORT_TYPES, TARGETS, default_vocabularies
from clearinghouse.publishing import access, registry
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import MatchFacts, RecordType

# The matched sides, and ``record``: the records of types that are searched, never matched.
Side = Literal["need", "support", "record"]
Profile = NeedProfile | OfferProfile

# A description longer than this is cut before it is stored: the model reads 1,500 characters and
# the words of the first pages carry the subject; a pasted book must not fill the index.
MAX_DESCRIPTION_CHARS = 6000


def matched_type(model: type[Model]) -> RecordType | None:
    """The model's registration if it is matched (on either side), else None."""
    try:
        record_type = registry.of(model)  # type: ignore[arg-type]
    except LookupError:
        return None
    return record_type if record_type.matching is not None else None


def embedded_type(model: type[Model]) -> RecordType | None:
    """The model's registration if its records are embedded (matched, or searched), else None."""
    try:
        record_type = registry.of(model)  # type: ignore[arg-type]
    except LookupError:
        return None
    return record_type if record_type.matching is not None or record_type.search is not None else None


def side_of(model: type[Model]) -> Side | None:
    record_type = embedded_type(model)
    if record_type is None:
        return None
    return record_type.side or "record"


def matched_types() -> list[RecordType]:
    """Every matched type, support first (the order the catalogues are built in)."""
    return [*registry.on_side("support"), *registry.on_side("need")]


def searched_only_types() -> list[RecordType]:
    """Every type that is searched but not matched: the ``record`` side."""
    return [
        record_type
        for record_type in registry.record_types()
        if record_type.matching is None and record_type.search is not None
    ]


def embedded_types() -> list[RecordType]:
    """Every type whose records are embedded, in the order the catalogues are built in."""
    return [*matched_types(), *searched_only_types()]


def embeddable(record_type: RecordType) -> QuerySet[Any]:
    """The type's records that have an embedding: a matched type's public, current ones, with
    what their profiles read; a searched type's published ones."""
    if record_type.matching is not None:
        return record_type.matchable()
    return record_type.live()


def embeddable_identifiers(record_type: RecordType, identifiers: Collection[str]) -> set[str]:
    """Which of these identifiers ``embeddable`` holds: the batch form of the same rule."""
    if record_type.matching is not None:
        return record_type.matchable_identifiers(identifiers)
    if record_type.search is None or not identifiers:
        return set()
    rows = record_type.live().filter(identifier__in=list(identifiers)).values_list("identifier", flat=True)
    return set(rows)


def matchable(model: type[Record]) -> QuerySet[Any]:
    """The model's public, current records, with what their profiles read prefetched."""
    return registry.of(model).matchable()


def with_related(model: type[Model], records: QuerySet[Any]) -> QuerySet[Any]:
    record_type = matched_type(model)
    if record_type is None or record_type.matching is None:
        return records
    return records.select_related(*record_type.matching.select_related).prefetch_related(
        *record_type.matching.prefetch_related
    )


# --- texts ---------------------------------------------------------------------------------------


def _plain(value: str) -> str:
    """Rich text (sanitised HTML) as the words a reader sees."""
    if "<" in value or "&" in value:
        value = html.unescape(strip_tags(value.replace("</p>", "</p> ").replace("<br", " <br")))
    return " ".join(value.split())


def _texts(original: str, values: Sequence[Mapping[str, str]]) -> tuple[str, list[str]]:
    """The language to read the record in and its texts in that language: the original
    language, else the first language its first filled text has."""
    values = [value or {} for value in values]
    language = original
    if not any(str(value.get(language) or "").strip() for value in values):
        language = next(
            (code for value in values for code, text in value.items() if str(text or "").strip()), language
        )
    return language, [_plain(str(value.get(language) or "")) for value in values]


def _sentences(*parts: str) -> str:
    """Parts as one text, each ending as a sentence, cut at MAX_DESCRIPTION_CHARS."""
    text = ""
    for part in (part.strip() for part in parts):
        if part:
            text = join_text(text, part) if text else part
    return text[:MAX_DESCRIPTION_CHARS]


# --- vocabulary codes ----------------------------------------------------------------------------


def _codes(vocabulary: str, codes: Iterable[str]) -> tuple[str, ...]:
    """Codes the matcher's vocabulary knows, in first-seen order."""
    known = default_vocabularies().codes(vocabulary)
    return tuple(dict.fromkeys(code for code in codes if code in known))


def _languages(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(code) for code in codes if code))


# --- profiles ------------------------------------------------------------------------------------


def _facts(record: Record) -> tuple[Side, MatchFacts]:
    record_type = matched_type(type(record))
    if record_type is None or record_type.matching is None:
        raise TypeError(f"{type(record).__name__} records are not matched")
    return record_type.matching.side, record_type.matching.facts(record)


def _profile(record: Record, side: Side, facts: MatchFacts) -> Profile:
    """The matcher's profile of a record from the facts its type registers: texts in one
    language as plain text, codes the matcher's vocabularies know."""
    language, texts = _texts(record.original_language, facts.texts)
    title, description = (texts[0] if texts else ""), _sentences(*texts[1:])
    support_types = _codes(SUPPORT_TYPES, facts.support_types)
    targets = _codes(TARGETS, facts.targets)
    subjects = _codes(SUBJECTS, facts.subjects)
    languages = _languages(facts.languages)
    if side == "need":
        return NeedProfile(
            id=record.identifier,
            language=language,
            title=title,
            description=description,
            country=facts.country,
            support_types=support_types,
            targets=targets,
            subjects=subjects,
            languages=languages,
        )
    return OfferProfile(
        id=record.identifier,
        language=language,
        title=title,
        description=description,
        countries_eligible=facts.countries_eligible,
        support_types=support_types,
        targets=targets,
        subjects=subjects,
        languages=languages,
        provider=facts.provider,
    )


def need_profile(record: Record) -> NeedProfile:
    """What the matcher reads of a record that asks for support (a need, a request)."""
    side, facts = _facts(record)
    profile = _profile(record, side, facts)
    if not isinstance(profile, NeedProfile):
        raise TypeError(f"{type(record).__name__} records offer support; they do not ask for it")
    return profile


def offer_profile(record: Record) -> OfferProfile:
    """What the matcher reads of a record of support (an offer, an expert, a resource...)."""
    side, facts = _facts(record)
    profile = _profile(record, side, facts)
    if not isinstance(profile, OfferProfile):
        raise TypeError(f"{type(record).__name__} records ask for support; they do not offer it")
    return profile


def searched_profile(record: Record) -> OfferProfile:
    """What is embedded of a record of a type that is searched, not matched: its title and its
    searched texts, in its original language (another it has when that one is empty), public
    fields only, as the search index holds them. It is never matched: no eligibility, no codes."""
    searched = registry.of(record).search
    if searched is None:
        raise TypeError(f"{type(record).__name__} records are not searched")
    withheld = access.hidden_fields(None, record)
    names = [searched.title, *(name for name in searched.texts if name not in withheld)]
    language, texts = _texts(record.original_language, [_mapping(getattr(record, name)) for name in names])
    return OfferProfile(
        id=record.identifier,
        language=language,
        title=texts[0],
        description=_sentences(*texts[1:]),
    )


def _mapping(value: Any) -> Mapping[str, str]:
    return value if isinstance(value, Mapping) else {}


def profile_of(record: Record) -> Profile:
    """What is embedded and kept of a record: its matching profile, or for a type that is only
    searched, its ``searched_profile``."""
    record_type = registry.of(record)
    if record_type.matching is None:
        return searched_profile(record)
    side, facts = _facts(record)
    return _profile(record, side, facts)


def text_digest(profile: Profile, embedder_name: str) -> str:
    """What an embedding depends on: the model, the text preparation and the text."""
    key = f"{embedder_name}\n{EMBEDDING_TEXT_VERSION}\n{profile.text}"
    return hashlib.sha256(key.encode()).hexdigest()


def profile_to_json(profile: Profile) -> dict[str, Any]:
    return asdict(profile)


def profile_from_json(side: Side, data: Mapping[str, Any]) -> Profile:
    values: dict[str, Any] = {
        name: tuple(value) if isinstance(value, list) else value for name, value in data.items()
    }
    return NeedProfile(**values) if side == "need" else OfferProfile(**values)


def as_catalogue_entry(need: NeedProfile) -> OfferProfile:
    """A need as a row of the needs catalogue (reverse matching): filed under its country, so
    that an offer's list of admitted countries finds it; a need with no country is filed under
    "global" (an empty list), admitted only by offers open to all."""
    return OfferProfile(
        id=need.id,
        language=need.language,
        title=need.title,
        description=need.description,
        countries_eligible=(need.country,) if need.country else (),
        support_types=need.support_types,
        targets=need.targets,
        subjects=need.subjects,
        languages=need.languages,
    )


def _as_need(entry: OfferProfile, country: str) -> NeedProfile:
    return NeedProfile(
        id=entry.id,
        language=entry.language,
        title=entry.title,
        description=entry.description,
        country=country,
        support_types=entry.support_types,
        targets=entry.targets,
        subjects=entry.subjects,
        languages=entry.languages,
    )


def from_catalogue_entry(entry: OfferProfile) -> NeedProfile:
    """A row of the needs catalogue back as the need it is (the inverse of ``as_catalogue_entry``)."""
    return _as_need(entry, entry.countries_eligible[0] if entry.countries_eligible else "")


def as_query(offer: OfferProfile) -> NeedProfile:
    """An offer as the query of reverse matching; the countries come from its eligibility."""
    return _as_need(offer, "")
