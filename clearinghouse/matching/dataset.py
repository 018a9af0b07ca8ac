"""Evaluation datasets: needs, offers and relevance judgements in JSON Lines.

    {"kind":"need","id":"N1","language":"ar","title":"...","description":"...","country":"EG",
     "support_types":["training"],"targets":["GBF-T6"]}
    {"kind":"offer","id":"O1","language":"en","provider":"...","title":"...","description":"...",
     "countries_eligible":["SIDS"],"support_types":["funding"],"targets":[]}
    {"kind":"match","need":"N1","offer":"O1","relevance":2}

Relevance 2 means the offer answers the need, 1 that it does in part; pairs not listed are not
relevant. Needs and offers may also carry ``subjects`` and ``languages``, a need a ``split`` name
("dev", "heldout"; "dev" when absent) and a ``group`` naming what makes it hard ("near-miss":
offers on its topic, in its words, that fail on scope, audience or instrument), scored apart.
Other fields are ignored. Every line is checked: a
malformed line, an unknown kind, language or code stops the load with a message naming the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.profiles import NeedProfile, OfferProfile
from clearinghouse.matching.vocabulary import LANGUAGES, SUBJECTS, SUPPORT_TYPES, TARGETS, Vocabularies

DEFAULT_SPLIT = "dev"
RELEVANCE = (0, 1, 2)


class DatasetError(ValueError):
    """The dataset cannot be used as it is; the message names the file and line."""


@dataclass
class Dataset:
    needs: list[NeedProfile] = field(default_factory=list)
    offers: list[OfferProfile] = field(default_factory=list)
    # judgements[need id][offer id] = relevance (1 or 2; 0 is kept out)
    judgements: dict[str, dict[str, int]] = field(default_factory=dict)
    splits: dict[str, str] = field(default_factory=dict)
    # need id → group name, for the needs that have one
    groups: dict[str, str] = field(default_factory=dict)

    def needs_of(self, split: str | None) -> list[NeedProfile]:
        return [need for need in self.needs if split is None or self.splits[need.id] == split]


class _Line:
    """One parsed line and where it came from, for messages."""

    def __init__(self, where: str, data: Mapping[str, Any]) -> None:
        self.where = where
        self.data = data

    def fail(self, message: str) -> DatasetError:
        return DatasetError(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key, "" if not required else None)
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be a string")
        return value

    def identifier(self, key: str) -> str:
        value = self.text(key)
        if not value.strip():
            raise self.fail(f"'{key}' must not be empty")
        return value

    def codes(self, key: str, known: frozenset[str], what: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise self.fail(f"'{key}' must be a list of strings")
        unknown = [code for code in value if code not in known]
        if unknown:
            raise self.fail(f"unknown {what} {', '.join(repr(code) for code in unknown)} in '{key}'")
        return tuple(dict.fromkeys(value))

    def language(self, key: str = "language") -> str:
        value = self.text(key)
        if value not in LANGUAGES:
            raise self.fail(f"unknown language {value!r} (expected one of {', '.join(LANGUAGES)})")
        return value


def read_dataset(path: Path, countries: CountryDirectory, vocabularies: Vocabularies) -> Dataset:
    """Read and check a dataset file."""
    return parse_dataset(dataset_lines(path), countries, vocabularies, name=str(path))


def dataset_lines(path: Path, error: type[DatasetError] = DatasetError) -> list[str]:
    """A dataset file's lines; ``error`` when it cannot be read as UTF-8 text."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as problem:
        raise error(f"{path}: cannot be read ({problem.strerror})") from problem
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not UTF-8 text ({problem.reason} at byte {problem.start})") from problem


def json_objects(
    lines: Iterable[str], name: str, error: type[DatasetError] = DatasetError
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, object) of each line that is not blank, where naming the file and line; ``error``
    naming the line when one is not a JSON object."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{name}, line {number}"
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as problem:
            raise error(f"{where}: not valid JSON ({problem.msg} at column {problem.colno})") from problem
        if not isinstance(data, dict):
            raise error(f"{where}: expected a JSON object")
        yield where, data


def parse_dataset(
    lines: Iterable[str], countries: CountryDirectory, vocabularies: Vocabularies, name: str = "<dataset>"
) -> Dataset:
    """Parse dataset lines (blank lines are skipped)."""
    dataset = Dataset()
    need_lines: dict[str, str] = {}
    offer_ids: set[str] = set()
    matches: list[_Line] = []
    targets = vocabularies.codes(TARGETS)
    subjects = vocabularies.codes(SUBJECTS)
    support = vocabularies.codes(SUPPORT_TYPES)
    for where, data in json_objects(lines, name):
        line = _Line(where, data)
        kind = data.get("kind")
        if kind == "need":
            need_id = line.identifier("id")
            if need_id in need_lines:
                raise line.fail(f"need {need_id!r} is already defined ({need_lines[need_id]})")
            country = line.text("country")
            if country not in countries:
                raise line.fail(f"unknown country code {country!r}")
            need = NeedProfile(
                id=need_id,
                language=line.language(),
                title=line.text("title", required=False),
                description=line.text("description", required=False),
                country=country,
                support_types=line.codes("support_types", support, "type of support"),
                targets=line.codes("targets", targets, "target"),
                subjects=line.codes("subjects", subjects, "subject"),
                languages=line.codes("languages", frozenset(LANGUAGES), "language"),
            )
            if not need.text.strip():
                raise line.fail(f"need {need_id!r} has neither title nor description")
            split = data.get("split", DEFAULT_SPLIT)
            if not isinstance(split, str) or not split:
                raise line.fail("'split' must be a non-empty string")
            group = data.get("group")
            if group is not None:
                if not isinstance(group, str) or not group:
                    raise line.fail("'group' must be a non-empty string")
                dataset.groups[need_id] = group
            need_lines[need_id] = where
            dataset.needs.append(need)
            dataset.splits[need_id] = split
        elif kind == "offer":
            offer_id = line.identifier("id")
            if offer_id in offer_ids:
                raise line.fail(f"offer {offer_id!r} is already defined")
            offer = OfferProfile(
                id=offer_id,
                language=line.language(),
                title=line.text("title", required=False),
                description=line.text("description", required=False),
                countries_eligible=line.codes("countries_eligible", countries.labels, "eligibility label"),
                support_types=line.codes("support_types", support, "type of support"),
                targets=line.codes("targets", targets, "target"),
                subjects=line.codes("subjects", subjects, "subject"),
                languages=line.codes("languages", frozenset(LANGUAGES), "language"),
                provider=line.text("provider", required=False),
            )
            if not offer.text.strip():
                raise line.fail(f"offer {offer_id!r} has neither title nor description")
            offer_ids.add(offer_id)
            dataset.offers.append(offer)
        elif kind == "match":
            matches.append(line)
        else:
            raise line.fail(f"unknown kind {kind!r} (expected need, offer or match)")
    for line in matches:
        need_id, offer_id = line.identifier("need"), line.identifier("offer")
        relevance = line.data.get("relevance")
        if need_id not in need_lines:
            raise line.fail(f"unknown need {need_id!r}")
        if offer_id not in offer_ids:
            raise line.fail(f"unknown offer {offer_id!r}")
        if relevance not in RELEVANCE or isinstance(relevance, bool):
            raise line.fail(f"relevance must be 0, 1 or 2, not {relevance!r}")
        judged = dataset.judgements.setdefault(need_id, {})
        if offer_id in judged:
            raise line.fail(f"the pair {need_id}/{offer_id} is judged twice")
        if relevance:
            judged[offer_id] = relevance
    return dataset
