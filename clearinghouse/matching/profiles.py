"""What the matcher works on and what it answers: plain, typed values with no database behind them.

The registries (needs, offers) turn their records into profiles; the matcher never reads a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Side = Literal["need", "offer"]
FieldName = Literal["title", "description"]


@dataclass(frozen=True)
class NeedProfile:
    """A need or request for support, as the matcher sees it.

    ``country`` is the ISO 3166-1 alpha-2 code of the requesting country; ``languages`` are the
    languages the requester works in (their text's language when not given).
    """

    id: str
    language: str
    title: str
    description: str
    country: str
    support_types: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @property
    def working_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @property
    def text(self) -> str:
        return join_text(self.title, self.description)


@dataclass(frozen=True)
class OfferProfile:
    """An offer of support. ``countries_eligible`` holds ISO codes, UN regional groups, country
    groups (LDC, SIDS, Arab States ...) or "global"; empty means open to every country.
    ``languages`` are the languages the support is given in (the text's language when not given)."""

    id: str
    language: str
    title: str
    description: str
    countries_eligible: tuple[str, ...] = ()
    support_types: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    provider: str = ""

    @property
    def working_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    @property
    def text(self) -> str:
        return join_text(self.title, self.description)


def join_text(title: str, description: str) -> str:
    """Title and description as one text; the title ends as a sentence so it embeds as one."""
    title, description = title.strip(), description.strip()
    if title and description:
        separator = " " if title[-1] in ".!?。！？؟" else ". "
        return f"{title}{separator}{description}"
    return title or description


@dataclass(frozen=True)
class LabelledCode:
    """A vocabulary code with its label in the requester's language and in the offer's."""

    code: str
    label: str
    offer_label: str


@dataclass(frozen=True)
class SupportFit:
    """How the offer's types of support meet the need's: ``match`` (some in common), ``different``
    (both given, none in common) or ``unknown`` (one side gave none)."""

    status: Literal["match", "different", "unknown"]
    shared: tuple[LabelledCode, ...] = ()


@dataclass(frozen=True)
class EligibilityReason:
    """Why the offer admits the requesting country: the entry of its eligibility list that does
    (an ISO code, a regional group, a country group, "global"), or "" when the list is empty."""

    rule: Literal["open", "global", "country", "regional group", "country group"]
    label: str
    country: str


@dataclass(frozen=True)
class Passage:
    """A span of text that matched. ``side`` is whose text it is; ``start`` and ``end`` index
    ``text`` (the field's cleaned text); ``reason`` says why it was picked; ``terms`` are the
    shared words (lexical) or the vocabulary code and its label in the other language (label)."""

    side: Side
    field: FieldName
    start: int
    end: int
    text: str
    reason: Literal["similar meaning", "shared words", "vocabulary label"]
    terms: tuple[str, ...] = ()

    @property
    def excerpt(self) -> str:
        return self.text[self.start : self.end]


@dataclass(frozen=True)
class Explanation:
    """What a person can check about a suggestion."""

    shared_targets: tuple[LabelledCode, ...]
    shared_subjects: tuple[LabelledCode, ...]
    support_type_fit: SupportFit
    eligibility_reason: EligibilityReason
    common_languages: tuple[str, ...]
    passages: tuple[Passage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Explanation:
        """The explanation ``to_json`` wrote (kept with a match, or stored to be shown again)."""

        def labelled(items: Any) -> tuple[LabelledCode, ...]:
            return tuple(LabelledCode(**item) for item in items)

        fit = data["support_type_fit"]
        return cls(
            shared_targets=labelled(data["shared_targets"]),
            shared_subjects=labelled(data["shared_subjects"]),
            support_type_fit=SupportFit(fit["status"], labelled(fit["shared"])),
            eligibility_reason=EligibilityReason(**data["eligibility_reason"]),
            common_languages=tuple(data["common_languages"]),
            passages=tuple(
                Passage(**{**passage, "terms": tuple(passage["terms"])}) for passage in data["passages"]
            ),
        )


@dataclass(frozen=True)
class Suggestion:
    """One offer suggested for a need, best first. ``features`` are the parts of the score (see
    scoring.Weights) so that a ranking can be inspected and tuned; ``explanation`` is None only
    when the caller asked for none (evaluation runs)."""

    offer_id: str
    score: float
    explanation: Explanation | None
    features: dict[str, float] = field(default_factory=dict)
