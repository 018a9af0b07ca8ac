"""Declared mappings: one per source format, from a CHM-shaped document to the values of one of
our record types. A mapping is declared once here (``MAPPINGS``); a source names the one it uses.

Each reader takes a ``Reading`` of the document and returns the record's values. A document the
mapping cannot use is refused (``RefusedError``, with a code of harvest.messages); every text is
sanitised on the way in: rich fields keep the registry's safe tags, plain fields lose all markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import is_language_code
from clearinghouse.geo.models import Country
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Expert, Initiative, Resource
from clearinghouse.support.models.knowledge import InitiativeStatus, ResourceKind
from clearinghouse.support.sanitising import clean_html
from clearinghouse.vocabularies.models import Term

# What is dangerous in a text, worth a line in the log when it is taken out.
_ACTIVE_MARKUP = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form)\b|\son\w+\s*=|javascript\s*:", re.I
)

# The CBD thesaurus's subjects (domain CBD-SUBJECTS) and ours: only those with an exact
# counterpart; others are left out (the log does not list them: a term is not a document).
CBD_SUBJECTS = {
    "CBD-SUBJECT-FOR": "SUBJ-FORESTS",
    "CBD-SUBJECT-AGR": "SUBJ-AGRICULTURAL-BIODIVERSITY",
    "CBD-SUBJECT-IW": "SUBJ-INLAND-WATERS",
    "CBD-SUBJECT-MCB": "SUBJ-MARINE-COASTAL",
    "CBD-SUBJECT-IAS": "SUBJ-INVASIVE-ALIEN-SPECIES",
    "CBD-SUBJECT-CC": "SUBJ-CLIMATE-CHANGE",
    "CBD-SUBJECT-PA": "SUBJ-PROTECTED-AREAS",
    "CBD-SUBJECT-ABS": "SUBJ-ABS",
    "CBD-SUBJECT-TK": "SUBJ-TRADITIONAL-KNOWLEDGE",
    "CBD-SUBJECT-BS": "SUBJ-BIOSAFETY",
    "CBD-SUBJECT-GTI": "SUBJ-TAXONOMY",
    "CBD-SUBJECT-CEPA": "SUBJ-CEPA",
    "CBD-SUBJECT-SU": "SUBJ-SUSTAINABLE-USE",
}
_GBF = re.compile(r"^GBF-(?:TARGET-0*(?P<target>\d{1,2})|GOAL-(?P<goal>[A-D]))$", re.I)
_AICHI = re.compile(r"^AICHI-TARGET-0*(?P<target>\d{1,2})(?:-.*)?$", re.I)
# A resource type's identifier or custom value, by the words it uses.
_KINDS = (
    ("e-learning", ResourceKind.ELEARNING),
    ("elearning", ResourceKind.ELEARNING),
    ("toolkit", ResourceKind.TOOLKIT),
    ("manual", ResourceKind.MANUAL),
    ("case-stud", ResourceKind.CASE_STUDY),
    ("case stud", ResourceKind.CASE_STUDY),
    ("success", ResourceKind.SUCCESS_STORY),
    ("dataset", ResourceKind.DATASET),
    ("video", ResourceKind.VIDEO),
    ("guid", ResourceKind.GUIDE),
)


@dataclass
class RefusedError(Exception):
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def plain_text(text: str) -> str:
    """The text with every tag taken out (script and style with their content)."""
    return html.unescape(nh3.clean(text, tags=set(), strip_comments=True)).strip()


def gbf_code(identifier: str) -> str | None:
    found = _GBF.match(identifier.strip())
    if not found:
        return None
    return f"GBF-T{int(found['target'])}" if found["target"] else f"GBF-G{found['goal'].upper()}"


def aichi_code(identifier: str) -> str | None:
    found = _AICHI.match(identifier.strip())
    return f"AICHI-T{int(found['target'])}" if found else None


@dataclass
class Reading:
    """One document being read: the values' sources, and what was taken out on the way."""

    body: dict[str, Any]
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def _note(self, name: str) -> None:
        if ("markup_removed", {"field": name}) not in self.notes:
            self.notes.append(("markup_removed", {"field": name}))

    def texts(self, name: str, *, rich: bool = False, required: bool = False) -> dict[str, str]:
        """An lstring ``{locale: text}`` as our multilingual text, each text sanitised."""
        value = self.body.get(name)
        found: dict[str, str] = {}
        if isinstance(value, dict):
            for locale, text in value.items():
                code = str(locale).lower()
                if not isinstance(text, str) or not is_language_code(code):
                    continue
                cleaned = clean_html(text) if rich else plain_text(text)
                if (rich and _ACTIVE_MARKUP.search(text)) or (not rich and cleaned != text.strip()):
                    self._note(name)
                if cleaned:
                    found[code] = cleaned
        if required and not found:
            raise RefusedError("missing_field", {"field": name})
        return found

    def string(self, name: str, limit: int) -> str:
        value = self.body.get(name)
        if isinstance(value, dict):  # an lstring where a string was expected: its first text
            value = next((text for text in value.values() if isinstance(text, str)), "")
        if not isinstance(value, str):
            return ""
        cleaned = plain_text(value)
        if cleaned != value.strip():
            self._note(name)
        return cleaned[:limit]

    def identifiers(self, name: str) -> list[str]:
        """The identifiers of a Term[] (or a single Term) field."""
        value = self.body.get(name)
        items = value if isinstance(value, list) else [value]
        return [
            str(item["identifier"]) for item in items if isinstance(item, dict) and item.get("identifier")
        ]

    def terms(self, name: str, vocabulary: str, convert: Callable[[str], str | None]) -> list[Term]:
        codes = [code for code in (convert(identifier) for identifier in self.identifiers(name)) if code]
        return list(Term.objects.filter(vocabulary__name=vocabulary, code__in=codes)) if codes else []

    def countries(self, name: str = "countryRegions") -> list[Country]:
        # Countries are ISO 3166 alpha-2 codes in the CHM's thesaurus; regions are GUIDs.
        codes = [code.upper() for code in self.identifiers(name) if len(code) == 2]
        return list(Country.objects.filter(code__in=codes)) if codes else []

    def date(self, name: str) -> date | None:
        value = self.body.get(name)
        if value in (None, ""):
            return None
        text = str(value)[:10]
        try:
            if re.fullmatch(r"\d{4}-\d{2}", text):
                return date.fromisoformat(f"{text}-01")
            return date.fromisoformat(text)
        except ValueError:
            raise RefusedError("bad_date", {"field": name, "value": str(value)[:40]}) from None

    def language(self, texts: dict[str, str]) -> str:
        header = self.body.get("header") or {}
        for code in [*(header.get("languages") or []), *texts]:
            if isinstance(code, str) and is_language_code(code.lower()) and code.lower() in texts:
                return code.lower()
        return next(iter(texts))


def _subjects(reading: Reading, *names: str) -> list[Term]:
    found: list[Term] = []
    for name in names:
        found += reading.terms(name, "subjects", CBD_SUBJECTS.get)
    return list({term.pk: term for term in found}.values())


def _status(start: date | None, end: date | None) -> str:
    """The CHM's status terms are identifiers of its own thesaurus; what the dates say is ours."""
    today = timezone.localdate()
    if end is not None and end < today:
        return InitiativeStatus.COMPLETED
    if start is not None and start > today:
        return InitiativeStatus.PLANNED
    return InitiativeStatus.ONGOING


def read_initiative(reading: Reading) -> dict[str, Any]:
    title = reading.texts("title", required=True)
    description = reading.texts("description", rich=True, required=True)
    start, end = reading.date("startDate"), reading.date("endDate")
    if start and end and end < start:
        start, end = end, start
    values: dict[str, Any] = {
        "original_language": reading.language(title),
        "title": title,
        "description": description,
        "results": reading.texts("resultsAchievements", rich=True),
        "lessons": reading.texts("bestPractices", rich=True),
        "countries": reading.countries(),
        "gbf_targets": reading.terms("gbfTargets", "gbf-targets", gbf_code),
        "aichi_targets": reading.terms("aichiTargets", "aichi-targets", aichi_code),
        "subjects": _subjects(reading, "cbdSubjects"),
        # A capacity-development initiative trains people, whatever its categories' identifiers.
        "support_types": list(Term.objects.filter(vocabulary__name="support-types", code="training")),
        "start_date": start,
        "end_date": end,
        "status": _status(start, end),
    }
    budget = reading.string("totalBudget", 40).replace(",", "").replace(" ", "")
    try:
        amount = Decimal(budget) if budget else None
    except InvalidOperation:
        amount = None
    if amount is not None and amount.is_finite() and 0 <= amount < Decimal("1e13"):
        values |= {"funding_amount": amount.quantize(Decimal("0.01")), "currency": "USD"}
    return values


def _kind(reading: Reading) -> str:
    value = reading.body.get("resourceTypes")
    items = value if isinstance(value, list) else [value]
    words = []
    for item in items:
        if isinstance(item, dict):
            words.append(str(item.get("identifier", "")))
            custom = item.get("customValue")
            if isinstance(custom, dict):
                words += [str(text) for text in custom.values()]
    said = " ".join(words).lower()
    for word, kind in _KINDS:
        if word in said:
            return str(kind)
    raise RefusedError("unknown_kind", {"value": plain_text(", ".join(words))[:80] or "-"})


def read_resource(reading: Reading) -> dict[str, Any]:
    title = reading.texts("title", required=True)
    published = reading.date("publicationDate")
    return {
        "original_language": reading.language(title),
        "title": title,
        "description": reading.texts("summary", rich=True),
        "kind": _kind(reading),
        "authors": " ".join(reading.texts("authors").values())[:500] or reading.string("authors", 500),
        "publisher": reading.string("publisher", 300),
        "year": published.year if published else None,
        "subjects": _subjects(reading, "cbdSubjects"),
        "gbf_targets": reading.terms("gbfTargets", "gbf-targets", gbf_code),
        "aichi_targets": reading.terms("aichiTargets", "aichi-targets", aichi_code),
    }


def read_expert(reading: Reading) -> dict[str, Any]:
    """The BCH roster of experts (``biosafetyExpert``): every expert on it is a biosafety
    expert. Their name and profile stay confidential here (no consent is harvested), and their
    e-mail is not harvested at all."""
    names = [reading.string(name, 80) for name in ("firstName", "middleName", "lastName")]
    name = " ".join(part for part in names if part)
    if not name:
        raise RefusedError("missing_field", {"field": "lastName"})
    title = reading.texts("title") or reading.texts("designation")
    if not title:
        raise RefusedError("missing_field", {"field": "designation"})
    subjects = _subjects(reading, "areasOfExpertise", "cbdSubjects")
    subjects += [
        term
        for term in Term.objects.filter(vocabulary__name="subjects", code="SUBJ-BIOSAFETY")
        if term not in subjects
    ]
    languages = [code.lower() for code in reading.identifiers("languages") if is_language_code(code.lower())]
    return {
        "original_language": reading.language(title),
        "title": title,
        "name": name[:200],
        "biography": reading.texts("profile", rich=True),
        "subjects": subjects,
        "languages": list(dict.fromkeys(languages)),
        "countries": reading.countries("nationality") + reading.countries(),
        "support_types": list(Term.objects.filter(vocabulary__name="support-types", code="expertise")),
    }


@dataclass(frozen=True)
class Mapping:
    name: str
    label: Promise
    schemas: tuple[str, ...]  # the source's schemas it reads
    model: type[Record]
    read: Callable[[Reading], dict[str, Any]]


def _declare(mappings: Iterable[Mapping]) -> dict[str, Mapping]:
    return {mapping.name: mapping for mapping in mappings}


MAPPINGS: dict[str, Mapping] = _declare(
    (
        Mapping(
            "chm-initiative",
            _("CHM capacity-development initiatives -> initiatives"),
            ("capacityBuildingInitiative",),
            Initiative,
            read_initiative,
        ),
        Mapping(
            "chm-resource",
            _("CHM virtual library resources -> resources"),
            ("resource", "capacityBuildingResource"),
            Resource,
            read_resource,
        ),
        Mapping(
            "bch-expert",
            _("BCH roster of experts -> experts"),
            ("biosafetyExpert",),
            Expert,
            read_expert,
        ),
    )
)


def choices() -> list[tuple[str, str]]:
    return [(mapping.name, str(mapping.label)) for mapping in MAPPINGS.values()]
