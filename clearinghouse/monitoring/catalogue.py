"""The catalogue of indicators: the action plan's indicator items as the platform measures them,
kept as data in ``data/indicators.yaml`` and loaded by ``clearinghouse loadindicators``.

``read`` parses and checks the file against the imported plan and the declared measures, and
names the line and code of every problem; ``load`` makes the indicators match the file in one
transaction, by code. Indicators dropped from the file are deleted only while nothing was
computed or entered for them; targets set outside the file are kept. Why an indicator is not
computed is a reason code, rendered here into the six languages.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.monitoring.models import Area, Direction, Indicator, Method, Target, Unit
from clearinghouse.plan.models import ActivityIndicator
from clearinghouse.publishing.registry import Measure, measures

CATALOGUE_FILE = Path(__file__).parent / "data" / "indicators.yaml"

# Why an indicator is entered by hand (manual) or cannot be counted yet (not_yet).
MANUAL_REASONS: Mapping[str, Promise] = {
    "national_data": _("Only Parties know this: entered with evidence from national reports."),
    "outside_platform": _(
        "Held outside the platform (other clearing-houses, the GEF, records of meetings, reports "
        "of businesses): entered with evidence."
    ),
    "programme_records": _(
        "Known from the project records of the Secretariat and its partners, not from the "
        "platform: entered with evidence."
    ),
    "follow_up": _(
        "What people and institutions did afterwards is known only from follow-up surveys and "
        "reports: entered with evidence."
    ),
    "judgement": _("A judgement, not a count: assessed by the Secretariat with evidence."),
}
NOT_YET_REASONS: Mapping[str, Promise] = {
    "later_module": _("Counted once national clearing-house nodes are connected to the platform."),
    "no_measure": _("The platform holds these facts, but no measure counts them yet."),
    "undefined": _("The plan does not say how this is measured: a method must be agreed first."),
}
REASONS: Mapping[str, Promise] = {**MANUAL_REASONS, **NOT_YET_REASONS}

CODE = re.compile(r"^(?P<activity>[1-9][0-9]{0,2})\.(?P<position>[1-9][0-9]?)(?P<part>[a-z]?)$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
LINE = "__line__"
# Records one problem of the indicator being read.
Problem = Callable[[str], None]
KEYS = {
    "code",
    "area",
    "method",
    "unit",
    "currency",
    "reason",
    "numerator",
    "denominator",
    "factor",
    "activity_only",
    "cumulative",
    "disaggregations",
    "direction",
    "baseline",
    "targets",
    "names",
}
COMPUTED_ONLY = ("numerator", "denominator", "factor", "activity_only", "cumulative", "disaggregations")


class CatalogueError(Exception):
    """The file is not a valid catalogue; ``problems`` names each one with its line and code."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Entry:
    """One indicator of the file, checked."""

    code: str
    line: int
    activity: int
    position: int
    part: int
    area: str
    method: str
    unit: str = Unit.COUNT
    currency: str = ""
    reason: str = ""
    numerator: str = ""
    denominator: str = ""
    factor: int = 1
    activity_only: bool = False
    cumulative: bool = False
    disaggregations: tuple[str, ...] = ()
    direction: str = Direction.UP
    baseline: tuple[int, float] | None = None
    targets: tuple[tuple[int, int, float], ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    """A code of the file and the annex item it stands for."""

    code: str
    line: int
    activity: int
    position: int


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    # Dropped from the file but kept: values were computed or entered for them.
    kept: list[str] = field(default_factory=list)


class _Loader(yaml.SafeLoader):
    """Records the line of every mapping, for errors that point at it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def reason_texts(code: str) -> dict[str, str]:
    """The reason in the six content languages, {language: text}."""
    text = REASONS[code]
    rendered = {}
    for language in CONTENT_LANGUAGES:
        with translation.override("zh-hans" if language == "zh" else language):
            rendered[language] = str(text)
    return rendered


def read(path: Path = CATALOGUE_FILE, *, catalogue: Mapping[str, Measure] | None = None) -> list[Entry]:
    """The file's indicators, checked against the imported plan and the declared measures.
    Raises ``CatalogueError`` listing every problem found."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506  # nosec B506  # _Loader is a SafeLoader
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError([f"{path}: {error}"]) from error
    rows = document.get("indicators") if isinstance(document, dict) else None
    if not isinstance(rows, list) or not rows:
        raise CatalogueError([f"{path}: expected a list of indicators under 'indicators:'"])
    known = measures() if catalogue is None else catalogue
    problems: list[str] = []
    entries: list[Entry] = []
    # Every well-formed code claims its item, even when the rest of its indicator is wrong.
    claims: list[Claim] = []
    for row in rows:
        if not isinstance(row, dict):
            problems.append(f"{path}: every indicator is a mapping, not {row!r}")
            continue
        match = CODE.match(str(row.get("code", "")))
        if match is not None:
            claims.append(
                Claim(str(row["code"]), row.get(LINE, 0), int(match["activity"]), int(match["position"]))
            )
        entry = _entry(row, known, problems)
        if entry is not None:
            entries.append(entry)
    _check_codes(claims, problems)
    _check_coverage(claims, problems)
    if problems:
        raise CatalogueError(problems)
    return entries


def _entry(row: dict[str, Any], known: Mapping[str, Measure], problems: list[str]) -> Entry | None:
    line = row.pop(LINE, 0)
    code = str(row.get("code", ""))
    found: list[str] = []

    def problem(message: str) -> None:
        found.append(f"line {line}, {code or 'no code'}: {message}")

    match = CODE.match(code)
    if match is None:
        problem("the code is activity.position with an optional part letter (5.2, 5.2a)")
    for key in sorted(set(row) - KEYS):
        problem(f"unknown key {key!r}")
    area, method = row.get("area"), row.get("method")
    unit, direction = row.get("unit", Unit.COUNT), row.get("direction", Direction.UP)
    if area not in Area.values:
        problem(f"area {area!r} is not one of {', '.join(Area.values)}")
    if method not in Method.values:
        problem(f"method {method!r} is not one of {', '.join(Method.values)}")
    if unit not in Unit.values:
        problem(f"unit {unit!r} is not one of {', '.join(Unit.values)}")
    if direction not in Direction.values:
        problem(f"direction {direction!r} is not one of {', '.join(Direction.values)}")
    currency = str(row.get("currency", ""))
    if unit == Unit.AMOUNT and not CURRENCY.match(currency):
        problem("an amount needs its currency, three capital letters (USD)")
    if unit != Unit.AMOUNT and currency:
        problem("only an amount has a currency")
    if method == Method.COMPUTED:
        _check_computed(row, unit, known, problem)
    elif method in (Method.MANUAL, Method.NOT_YET):
        reasons = MANUAL_REASONS if method == Method.MANUAL else NOT_YET_REASONS
        if row.get("reason") not in reasons:
            problem(f"a {method} indicator needs a reason among {', '.join(reasons)}")
        for key in COMPUTED_ONLY:
            if key in row:
                problem(f"{key!r} is only for computed indicators")
    baseline = _baseline(row.get("baseline"), problem)
    targets = _targets(row.get("targets", []), problem)
    names = _names(row.get("names"), split=bool(match and match["part"]), problem=problem)
    problems.extend(found)
    if found or match is None:
        return None
    return Entry(
        code=code,
        line=line,
        activity=int(match["activity"]),
        position=int(match["position"]),
        part=ord(match["part"]) - ord("a") + 1 if match["part"] else 1,
        area=str(area),
        method=str(method),
        unit=str(unit),
        currency=currency,
        reason=str(row.get("reason", "")),
        numerator=str(row.get("numerator", "")),
        denominator=str(row.get("denominator", "")),
        factor=int(row.get("factor", 1)),
        activity_only=bool(row.get("activity_only", False)),
        cumulative=bool(row.get("cumulative", False)),
        disaggregations=tuple(row.get("disaggregations", ())),
        direction=str(direction),
        baseline=baseline,
        targets=targets,
        names=names,
    )


def _check_computed(row: dict[str, Any], unit: str, known: Mapping[str, Measure], problem: Problem) -> None:
    if "reason" in row:
        problem("a computed indicator has no reason")
    numerator = known.get(str(row.get("numerator", "")))
    if numerator is None:
        problem(f"numerator {row.get('numerator')!r} is not a declared measure")
    if "denominator" in row and str(row["denominator"]) not in known:
        problem(f"denominator {row['denominator']!r} is not a declared measure")
    if unit == Unit.SHARE and "denominator" not in row:
        problem("a computed percentage needs a denominator")
    factor = row.get("factor", 1)
    if not isinstance(factor, int) or isinstance(factor, bool) or factor < 1:
        problem(f"factor {factor!r} is not a whole number of at least 1")
    for key in ("activity_only", "cumulative"):
        if not isinstance(row.get(key, False), bool):
            problem(f"{key} is true or false")
    dimensions = row.get("disaggregations", [])
    if not isinstance(dimensions, list) or not all(isinstance(name, str) for name in dimensions):
        problem("disaggregations is a list of dimension codes")
    elif numerator is not None:
        for name in dimensions:
            if name not in numerator.dimensions:
                problem(
                    f"{numerator.code} has no dimension {name!r} "
                    f"(it has: {', '.join(sorted(numerator.dimensions)) or 'none'})"
                )
        if len(set(dimensions)) != len(dimensions):
            problem("a dimension is named twice in disaggregations")
    if numerator is not None and row.get("activity_only") and not numerator.knows_activities:
        problem(f"{numerator.code} does not know the activities its rows serve: activity_only cannot apply")


def _baseline(value: Any, problem: Problem) -> tuple[int, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        problem("baseline is {year: ..., value: ...}")
        return None
    value.pop(LINE, None)
    year, number = value.get("year"), value.get("value")
    if set(value) != {"year", "value"} or not isinstance(year, int) or not isinstance(number, int | float):
        problem("baseline is {year: ..., value: ...}, a year and a number")
        return None
    return year, float(number)


def _targets(value: Any, problem: Problem) -> tuple[tuple[int, int, float], ...]:
    if not isinstance(value, list):
        problem("targets is a list of {from: year, to: year, value: number}")
        return ()
    found = []
    for target in value:
        if isinstance(target, dict):
            target.pop(LINE, None)
        if (
            not isinstance(target, dict)
            or set(target) != {"from", "to", "value"}
            or not isinstance(target["from"], int)
            or not isinstance(target["to"], int)
            or not _is_number(target["value"])
        ):
            problem("a target is {from: year, to: year, value: number}")
            continue
        if target["to"] < target["from"]:
            problem(f"a target's period ends before it starts ({target['from']}-{target['to']})")
            continue
        found.append((target["from"], target["to"], float(target["value"])))
    periods = Counter((start, end) for start, end, _value in found)
    for (start, end), count in periods.items():
        if count > 1:
            problem(f"two targets for {start}-{end}")
    return tuple(found)


def _names(value: Any, *, split: bool, problem: Problem) -> dict[str, str]:
    if value is None:
        if split:
            problem(f"a part of a split item needs its names in {', '.join(CONTENT_LANGUAGES)}")
        return {}
    if not split:
        problem("an item that is not split takes the annex's own texts: no names")
        return {}
    if not isinstance(value, dict):
        problem("names is {language: text}")
        return {}
    value.pop(LINE, None)
    missing = [language for language in CONTENT_LANGUAGES if not str(value.get(language) or "").strip()]
    extra = sorted(set(value) - set(CONTENT_LANGUAGES))
    if missing:
        problem(f"names missing in {', '.join(missing)}")
    if extra:
        problem(f"names in unknown languages: {', '.join(map(str, extra))}")
    return {language: str(value[language]).strip() for language in CONTENT_LANGUAGES if language in value}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_codes(entries: list[Claim], problems: list[str]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.code in seen:
            problems.append(
                f"line {entry.line}, {entry.code}: the code is used already on line {seen[entry.code]}"
            )
        else:
            seen[entry.code] = entry.line


def _check_coverage(entries: list[Claim], problems: list[str]) -> None:
    """Every indicator item of the imported plan exactly once: whole, or in parts a, b, c..."""
    items = set(ActivityIndicator.objects.values_list("activity__number", "position"))
    if not items:
        problems.append("the action plan is not imported: run `clearinghouse importplan` first")
        return
    by_item: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for entry in {entry.code: entry for entry in reversed(entries)}.values():
        by_item[(entry.activity, entry.position)].append(entry)
    for (activity, position), found in sorted(by_item.items()):
        if (activity, position) not in items:
            problems.extend(
                f"line {entry.line}, {entry.code}: activity {activity} has no indicator {position}"
                for entry in found
            )
            continue
        letters = sorted(entry.code[len(f"{activity}.{position}") :] for entry in found)
        expected = [chr(ord("a") + index) for index in range(len(found))]
        if letters != [""] and (len(found) < 2 or letters != expected):
            problems.append(
                f"line {found[0].line}, {activity}.{position}: an item is either whole "
                f"({activity}.{position}) or split in parts a, b, c... "
                f"({', '.join(entry.code for entry in found)} found)"
            )
    for activity, position in sorted(items - set(by_item)):
        problems.append(f"{activity}.{position}: indicator {position} of activity {activity} is missing")


@transaction.atomic
def load(path: Path = CATALOGUE_FILE, *, catalogue: Mapping[str, Measure] | None = None) -> LoadReport:
    """Make the indicators match the file (idempotent). Nothing is changed when the file has a
    problem."""
    entries = read(path, catalogue=catalogue)
    items = {
        (item.activity.number, item.position): item
        for item in ActivityIndicator.objects.select_related("activity")
    }
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    report = LoadReport()
    for position, entry in enumerate(entries, start=1):
        item = items[(entry.activity, entry.position)]
        fields = _fields(entry, item, position)
        indicator = existing.pop(entry.code, None)
        if indicator is None:
            indicator = Indicator(code=entry.code, **fields)
            indicator.full_clean()
            indicator.save()
            report.created.append(entry.code)
        elif any(getattr(indicator, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.full_clean()
            indicator.save()
            report.updated.append(entry.code)
        else:
            report.unchanged += 1
        for start, end, value in entry.targets:
            Target.objects.update_or_create(
                indicator=indicator, period_start=start, period_end=end, defaults={"value": value}
            )
    for code, indicator in sorted(existing.items()):
        if indicator.values.exists() or indicator.manual_values.exists():
            report.kept.append(code)
        else:
            indicator.delete()
            report.removed.append(code)
    return report


def _fields(entry: Entry, item: ActivityIndicator, position: int) -> dict[str, Any]:
    baseline_year, baseline_value = entry.baseline or (None, None)
    return {
        "activity": item.activity,
        "item": item,
        "part": entry.part,
        "position": position,
        "area": entry.area,
        "names": dict(entry.names),
        "unit": entry.unit,
        "currency": entry.currency,
        "method": entry.method,
        "reasons": reason_texts(entry.reason) if entry.reason else {},
        "numerator": entry.numerator,
        "denominator": entry.denominator,
        "factor": entry.factor,
        "activity_only": entry.activity_only,
        "cumulative": entry.cumulative,
        "direction": entry.direction,
        "disaggregations": list(entry.disaggregations),
        "baseline_year": baseline_year,
        "baseline_value": baseline_value,
    }


@dataclass(frozen=True)
class Summary:
    """How many indicators of the catalogue are computed, entered or not yet possible."""

    total: int
    by_method: Mapping[str, int]
    by_area: Mapping[str, Mapping[str, int]]
    by_reason: Mapping[str, int]
    not_yet: list[Indicator]


def summary() -> Summary:
    """The loaded catalogue's counts (for the closing note and docs/monitoring.md)."""
    indicators = list(Indicator.objects.select_related("activity", "item").order_by("position", "code"))
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for indicator in indicators:
        by_area[indicator.area][indicator.method] += 1
    with translation.override("en"):
        codes = {str(text): code for code, text in REASONS.items()}
    reasons = Counter(
        codes.get(indicator.reasons.get("en", ""), "other")
        for indicator in indicators
        if indicator.method != Method.COMPUTED
    )
    return Summary(
        total=len(indicators),
        by_method=Counter(indicator.method for indicator in indicators),
        by_area={area: by_area[area] for area in Area.values if area in by_area},
        by_reason=dict(sorted(reasons.items())),
        not_yet=[indicator for indicator in indicators if indicator.method == Method.NOT_YET],
    )
