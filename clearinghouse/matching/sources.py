"""Profiles from the registries' records: what the matcher reads of a need, a request or a
record of support.

A profile is made from the record's row, which holds what is public: a published record with
pending edits keeps them in its revision (publishing.workflow), so matching sees only what
anyone can read. Texts are taken in the record's original language (another language it has
when that one is empty), rich text is reduced to plain text, and the codes of vocabulary terms
are those of ``matching.vocabulary``: both read the same files (vocabularies/data); Aichi targets
count as the GBF targets they map to. An expert's name, e-mail and biography are personal data:
they enter a profile only with the expert's consent (profiles are written to disk with the index
and shown in explanations).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, Literal

from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags

from clearinghouse.matching.embedders import EMBEDDING_TEXT_VERSION
from clearinghouse.matching.profiles import NeedProfile, OfferProfile, join_text
from clearinghouse.matching.vocabulary import SUBJECTS, SUPPORT_TYPES, TARGETS, default_vocabularies
from clearinghouse.needs.models import Need, NeedStatus, Request
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Availability, Expert, Offer, Opportunity, Provider, Resource
from clearinghouse.vocabularies.models import Term

Side = Literal["need", "support"]
Profile = NeedProfile | OfferProfile

NEED_MODELS: tuple[type[Record], ...] = (Need, Request)
SUPPORT_MODELS: tuple[type[Record], ...] = (Offer, Opportunity, Provider, Expert, Resource)
# A description longer than this is cut before it is stored: the model reads 1,500 characters and
# the words of the first pages carry the subject; a pasted book must not fill the index.
MAX_DESCRIPTION_CHARS = 6000
# Needs that no longer ask for anything.
CLOSED_NEED_STATUSES = frozenset({NeedStatus.ADDRESSED, NeedStatus.WITHDRAWN})


def side_of(model: type[Model]) -> Side | None:
    if issubclass(model, NEED_MODELS):
        return "need"
    if issubclass(model, SUPPORT_MODELS):
        return "support"
    return None


def is_matchable(record: Record) -> bool:
    """Published and still current: an offer within its period, an open opportunity, an
    available expert, a need not yet addressed or withdrawn."""
    if not record.live:
        return False
    if isinstance(record, Offer | Opportunity):
        return record.is_open
    if isinstance(record, Expert):
        return record.availability != Availability.UNAVAILABLE
    if isinstance(record, Need):
        return record.status not in CLOSED_NEED_STATUSES
    return True


def matchable(model: type[Record]) -> QuerySet[Any]:
    """The model's records that ``is_matchable`` admits, with what their profiles read prefetched."""
    records = with_related(model, model._default_manager.filter(live=True))
    today = timezone.localdate()
    if model is Offer:
        records = records.exclude(period_end__lt=today)
    elif model is Opportunity:
        records = records.filter(Opportunity.open_condition(today))
    elif model is Expert:
        records = records.exclude(availability=Availability.UNAVAILABLE)
    elif model is Need:
        records = records.exclude(status__in=CLOSED_NEED_STATUSES)
    return records


_AICHI = Prefetch("aichi_targets", queryset=Term.objects.prefetch_related("maps_to"))
_NEED_RELATED = ("subjects", "gbf_targets", _AICHI, "support_types")
_RELATED: dict[type[Model], tuple[tuple[str, ...], tuple[str | Prefetch[Any], ...]]] = {
    Need: (("owner_country", "owner_organisation__country"), _NEED_RELATED),
    Request: (
        ("owner_country", "owner_organisation__country"),
        (
            Prefetch(
                "needs",
                queryset=Need.objects.prefetch_related(
                    "subjects", "gbf_targets", "support_types", "aichi_targets__maps_to"
                ),
            ),
        ),
    ),
    Offer: (("provider",), ("subjects", "gbf_targets", _AICHI, "support_types")),
    Opportunity: (("provider",), ("subjects", "gbf_targets", "support_types")),
    Provider: (("organisation",), ("subjects", "support_types")),
    Expert: ((), ("subjects", "gbf_targets", "support_types")),
    Resource: ((), ("subjects", "gbf_targets", _AICHI, "versions")),
}


def with_related(model: type[Model], records: QuerySet[Any]) -> QuerySet[Any]:
    joins, prefetches = _RELATED.get(model, ((), ()))
    return records.select_related(*joins).prefetch_related(*prefetches)


# --- texts ---------------------------------------------------------------------------------------


def _plain(value: str) -> str:
    """Rich text (sanitised HTML) as the words a reader sees."""
    if "<" in value or "&" in value:
        value = html.unescape(strip_tags(value.replace("</p>", "</p> ").replace("<br", " <br")))
    return " ".join(value.split())


def _texts(record: Record, names: Sequence[str]) -> tuple[str, list[str]]:
    """The language to read the record in and its texts of these fields in that language: the
    original language, else the first language its first filled field has."""
    values: list[Mapping[str, str]] = [getattr(record, name) or {} for name in names]
    language = record.original_language
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


def _codes(vocabulary: str, terms: Iterable[Term]) -> tuple[str, ...]:
    """Codes the matcher's vocabulary knows, in first-seen order."""
    known = default_vocabularies().codes(vocabulary)
    return tuple(dict.fromkeys(term.code for term in terms if term.code in known))


def _targets(record: Any) -> tuple[str, ...]:
    """GBF targets, and the GBF targets the Aichi targets map to."""
    terms: list[Term] = list(record.gbf_targets.all())
    if hasattr(record, "aichi_targets"):
        for aichi in record.aichi_targets.all():
            terms.extend(aichi.maps_to.all())
    return _codes(TARGETS, terms)


def _country_of(record: Record) -> str:
    """The requesting country: the Party, or the country of the owning organisation (IPLC and
    partner organisations); "" for an international organisation."""
    if record.owner_country is not None:
        return record.owner_country.code
    organisation = record.owner_organisation
    return organisation.country.code if organisation is not None and organisation.country else ""


def _languages(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(code) for code in codes if code))


# --- profiles ------------------------------------------------------------------------------------


def need_profile(record: Need | Request) -> NeedProfile:
    """What the matcher reads of a need, or of a request (its own texts; its needs' terms)."""
    if isinstance(record, Request):
        language, (title, asked, deliverables) = _texts(record, ("title", "asked", "deliverables"))
        needs = list(record.needs.all())
        return NeedProfile(
            id=record.identifier,
            language=language,
            title=title,
            description=_sentences(asked, deliverables),
            country=_country_of(record),
            support_types=_codes(
                SUPPORT_TYPES, (term for need in needs for term in need.support_types.all())
            ),
            targets=tuple(dict.fromkeys(code for need in needs for code in _targets(need))),
            subjects=_codes(SUBJECTS, (term for need in needs for term in need.subjects.all())),
            languages=_languages(code for need in needs for code in need.support_languages or ()),
        )
    language, (title, description, gap, outcome) = _texts(record, ("title", "description", "gap", "outcome"))
    return NeedProfile(
        id=record.identifier,
        language=language,
        title=title,
        description=_sentences(description, gap, outcome),
        country=_country_of(record),
        support_types=_codes(SUPPORT_TYPES, record.support_types.all()),
        targets=_targets(record),
        subjects=_codes(SUBJECTS, record.subjects.all()),
        languages=_languages(record.support_languages or ()),
    )


def offer_profile(record: Record) -> OfferProfile:
    """What the matcher reads of an offer, opportunity, provider, expert or resource."""
    if isinstance(record, Offer | Opportunity):
        language, (title, description) = _texts(record, ("title", "description"))
        return OfferProfile(
            id=record.identifier,
            language=language,
            title=title,
            description=_sentences(description),
            countries_eligible=tuple(record.eligibility or ()),
            support_types=_codes(SUPPORT_TYPES, record.support_types.all()),
            targets=_targets(record),
            subjects=_codes(SUBJECTS, record.subjects.all()),
            languages=_languages(record.languages or ()) if isinstance(record, Offer) else (),
            provider=record.provider.name if record.provider else "",
        )
    if isinstance(record, Provider):
        language, (title, description) = _texts(record, ("title", "description"))
        return OfferProfile(
            id=record.identifier,
            language=language,
            title=title,
            description=_sentences(description),
            countries_eligible=tuple(record.regions_served or ()),
            support_types=_codes(SUPPORT_TYPES, record.support_types.all()),
            subjects=_codes(SUBJECTS, record.subjects.all()),
            languages=_languages(record.languages or ()),
            provider=record.organisation.name if record.organisation else "",
        )
    if isinstance(record, Expert):
        # The biography and the name only with consent; the e-mail never (it says nothing of the
        # expertise). The countries of experience describe past work, not who may ask: an expert
        # is open to every country.
        consent = record.consent_to_publish
        names = ("title", "biography") if consent else ("title",)
        language, texts = _texts(record, names)
        return OfferProfile(
            id=record.identifier,
            language=language,
            title=texts[0],
            description=_sentences(*texts[1:]),
            support_types=_codes(SUPPORT_TYPES, record.support_types.all()),
            targets=_targets(record),
            subjects=_codes(SUBJECTS, record.subjects.all()),
            languages=_languages(record.languages or ()),
            provider=record.name if consent else "",
        )
    if isinstance(record, Resource):
        language, (title, description) = _texts(record, ("title", "description"))
        return OfferProfile(
            id=record.identifier,
            language=language,
            title=title,
            description=_sentences(description),
            targets=_targets(record),
            subjects=_codes(SUBJECTS, record.subjects.all()),
            # The languages it can be read in: those of its versions.
            languages=_languages(version.language for version in record.versions.all()),
            provider=record.publisher,
        )
    raise TypeError(f"{type(record).__name__} records are not matched")


def profile_of(record: Record) -> Profile:
    return need_profile(record) if isinstance(record, Need | Request) else offer_profile(record)


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
