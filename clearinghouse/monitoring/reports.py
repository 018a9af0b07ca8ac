"""The biennial progress report (paragraph 15 of decision XIII/23): what it shows, built only
from the report's computation (its stored values) and the action plan as it stood when those
values were computed, so the same report always shows the same numbers; and the rules of its
life: created from the current computation, refreshed while a draft, narrated per section and
language, published, and never changed once published (a new draft is made instead).

Rendering to PDF and DOCX is in ``report_documents.py``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.core.multilingual import show
from clearinghouse.monitoring import charts, compute, report_gaps
from clearinghouse.monitoring.charts import Point
from clearinghouse.monitoring.labels import key_labels
from clearinghouse.monitoring.models import (
    Area,
    Computation,
    Indicator,
    Method,
    Report,
    ReportSection,
    Target,
    Unit,
    Value,
)
from clearinghouse.plan.models import PROGRESS_ORDER, Activity, ActivityProgress, Evidence, Status

# The report's sections, in the order it reads; each may carry the Secretariat's narrative.
SECTIONS: dict[str, Any] = {
    "summary": gettext_lazy("Executive summary"),
    "needs": Area.NEEDS.label,
    "support": Area.SUPPORT.label,
    "matchmaking": Area.MATCHMAKING.label,
    "events": Area.EVENTS.label,
    "learning": Area.LEARNING.label,
    "helpdesk": Area.HELPDESK.label,
    "communities": Area.COMMUNITIES.label,
    "quality": Area.QUALITY.label,
    "plan": gettext_lazy("Progress of the action plan's activities"),
    "gaps": gettext_lazy("Gaps"),
    "conclusions": gettext_lazy("Conclusions"),
}
AREA_SECTIONS = [area for area in SECTIONS if area in Area.values and area != Area.PLAN]

# The interface language each report language is rendered in (texts through gettext).
UI_LANGUAGES = {"ar": "ar", "zh": "zh-hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}

NOT_REPORTED = "not_reported"
DIMENSION_LABELS: dict[str, Any] = {
    "party": gettext_lazy("Party"),
    "region": gettext_lazy("Region"),
    "regional_group": gettext_lazy("Regional group"),
    "ldc": gettext_lazy("Least developed country"),
    "sids": gettext_lazy("Small island developing State"),
    "gender": gettext_lazy("Gender"),
    "iplc": gettext_lazy("Indigenous peoples and local communities"),
    "youth": gettext_lazy("Youth"),
    "sector": gettext_lazy("Sector"),
    "language": gettext_lazy("Language"),
    "record_type": gettext_lazy("Type of record"),
    "subject": gettext_lazy("Subject"),
    "target": pgettext_lazy("a target of the framework", "Target"),
    "support_type": gettext_lazy("Type of support"),
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
}


def minimum_cell() -> int:
    """The smallest count of people shown publicly (the statistics pages' rule)."""
    return int(getattr(settings, "MONITORING_PUBLIC_MIN_CELL", 5))


def ui_language(language: str) -> str:
    """The interface language a report language is written in ("zh" → "zh-hans")."""
    return UI_LANGUAGES[content_language(language)]


def report_language(language: str) -> str:
    """The content language ("zh") of an interface or content language code; ValueError else."""
    code = content_language(language)
    if code not in CONTENT_LANGUAGES:
        raise ValueError(language)
    return code


# What the report shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    label: str
    value: float | None
    shown: str
    # A count of people under the threshold: its number is withheld.
    withheld: bool = False


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    area: str
    area_label: str
    activity: int
    unit: str
    unit_label: str
    method: str
    method_label: str
    definition: str
    reason: str
    total: Cell | None
    target: Cell | None
    baseline: Cell | None
    baseline_year: int | None
    breakdowns: list[Breakdown]


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class ActivityRow:
    number: int
    text: str
    text_language: str
    status: str
    status_label: str
    notes: list[str]
    evidence: list[Link]
    indicators: list[IndicatorRow]


@dataclass(frozen=True)
class Narrative:
    section: str
    title: str
    text: str


@dataclass(frozen=True)
class AreaTable:
    area: str
    title: str
    narrative: str
    indicators: list[IndicatorRow]
    chart: str


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


@dataclass
class ReportData:
    """Everything a report shows in one language: documents and pages render this, nothing else."""

    language: str
    direction: str
    title: str
    period: str
    computed_at: datetime | None
    headline: list[IndicatorRow]
    activities_by_status: list[Count]
    indicators_by_method: list[Count]
    narrative: dict[str, Narrative]
    areas: list[AreaTable]
    activities: list[ActivityRow]
    definitions: list[IndicatorRow]
    not_yet_possible: list[IndicatorRow]
    status_chart: str = ""
    minimum_cell: int = 5
    indicators: list[IndicatorRow] = field(default_factory=list)
    gaps: list[report_gaps.Table] = field(default_factory=list)


def default_title(report: Report) -> str:
    return _("Progress report on the capacity-building action plan, %(period)s") % {
        "period": period_label(report)
    }


def period_label(report: Report) -> str:
    return str(compute.Period.years(report.period_start, report.period_end))


def title(report: Report, language: str) -> str:
    """The report's own title in the language, else the usual one (in the active language)."""
    own = (report.title or {}).get(language, "")
    return own or default_title(report)


def number(value: float | None, unit: str = Unit.COUNT) -> str:
    shown = charts.shown(value, 2)
    if value is not None and unit == Unit.SHARE:
        return _("%(value)s%%") % {"value": shown}
    return shown


def _cell(label: str, value: Value | None, unit: str) -> Cell | None:
    if value is None:
        return None
    if value.people and value.value is not None and 0 < value.value < minimum_cell():
        return Cell(label, None, _("fewer than %(count)s") % {"count": minimum_cell()}, withheld=True)
    return Cell(label, value.value, number(value.value, unit))


def indicator_rows(report: Report, language: str) -> list[IndicatorRow]:
    """Every indicator with its values from the report's computation, in the active language."""
    values: dict[int, list[Value]] = {}
    if report.computation_id is not None:
        for value in Value.objects.filter(computation_id=report.computation_id):
            values.setdefault(value.indicator_id, []).append(value)
    targets = {
        target.indicator_id: target.value
        for target in Target.objects.filter(period_start=report.period_start, period_end=report.period_end)
    }
    keys: dict[str, set[str]] = {}
    for found in values.values():
        for value in found:
            if value.dimension:
                keys.setdefault(value.dimension, set()).add(value.key)
    labels = {dimension: key_labels(dimension, found, language) for dimension, found in keys.items()}
    rows = []
    for indicator in Indicator.objects.select_related("activity", "item"):
        own = values.get(indicator.pk, [])
        total = next((value for value in own if not value.dimension), None)
        breakdowns = []
        for dimension in indicator.disaggregations:
            cells = [
                _cell(labels.get(dimension, {}).get(value.key, value.key), value, indicator.unit)
                for value in own
                if value.dimension == dimension
            ]
            if cells:
                breakdowns.append(
                    Breakdown(
                        dimension,
                        str(DIMENSION_LABELS.get(dimension, dimension)),
                        [cell for cell in cells if cell is not None],
                    )
                )
        target = targets.get(indicator.pk)
        baseline = indicator.baseline_value
        rows.append(
            IndicatorRow(
                code=indicator.code,
                name=show(indicator.texts, "ar", language).text or indicator.code,
                area=indicator.area,
                area_label=str(indicator.get_area_display()),
                activity=indicator.activity.number,
                unit=indicator.unit,
                unit_label=_unit_label(indicator),
                method=indicator.method,
                method_label=str(indicator.get_method_display()),
                definition=show(indicator.definitions or {}, "en", language).text,
                reason=show(indicator.reasons or {}, "en", language).text,
                total=_cell("", total, indicator.unit),
                target=Cell("", target, number(target, indicator.unit)) if target is not None else None,
                baseline=Cell("", baseline, number(baseline, indicator.unit))
                if baseline is not None
                else None,
                baseline_year=indicator.baseline_year,
                breakdowns=breakdowns,
            )
        )
    return rows


def _unit_label(indicator: Indicator) -> str:
    if indicator.unit == Unit.AMOUNT:
        return _("Amount (%(currency)s)") % {"currency": indicator.currency}
    return str(indicator.get_unit_display())


def _plan_as_of(report: Report) -> datetime:
    """The plan as it stood when the report's values were computed: progress or evidence recorded
    later does not change a report already built."""
    computation = report.computation
    moment = computation.finished_at if computation is not None else None
    return moment or timezone.now()


def activity_rows(report: Report, language: str, indicators: list[IndicatorRow]) -> list[ActivityRow]:
    """Each activity of the plan: its status in the period (the latest progress report within the
    period's years), the notes of those reports, its evidence and its indicators."""
    as_of = _plan_as_of(report)
    progress: dict[int, list[ActivityProgress]] = {}
    for report_row in ActivityProgress.objects.filter(
        period_start__gte=report.period_start, period_end__lte=report.period_end, recorded_at__lte=as_of
    ).order_by("activity_id", *PROGRESS_ORDER):
        progress.setdefault(report_row.activity_id, []).append(report_row)
    evidence: dict[int, list[Link]] = {}
    for item in Evidence.objects.filter(added_at__lte=as_of).order_by("activity_id", "added_at", "pk"):
        evidence.setdefault(item.activity_id, []).append(Link(item.title, item.url))
    by_activity: dict[int, list[IndicatorRow]] = {}
    for row in indicators:
        by_activity.setdefault(row.activity, []).append(row)
    rows = []
    for activity in Activity.objects.order_by("number"):
        reports = progress.get(activity.pk, [])
        status = reports[0].status if reports else NOT_REPORTED
        text = show(activity.texts, activity.original_language, language)
        rows.append(
            ActivityRow(
                number=activity.number,
                text=text.text,
                text_language=text.language,
                status=status,
                status_label=status_label(status),
                notes=[row.note for row in reports if row.note],
                evidence=evidence.get(activity.pk, []),
                indicators=by_activity.get(activity.number, []),
            )
        )
    return rows


def status_label(status: str) -> str:
    if status == NOT_REPORTED:
        return _("No progress reported")
    return str(Status(status).label)


def _headline(indicators: list[IndicatorRow]) -> list[IndicatorRow]:
    """Per area, its first computed indicator that has a total: one number per area up front."""
    chosen: dict[str, IndicatorRow] = {}
    for row in indicators:
        if row.method == Method.COMPUTED and row.total is not None and row.area not in chosen:
            chosen[row.area] = row
    return [chosen[area] for area in Area.values if area in chosen]


def _narrative(report: Report, language: str) -> dict[str, Narrative]:
    texts = {section.section: section.texts for section in report.sections.all()}
    return {
        code: Narrative(code, str(label), (texts.get(code) or {}).get(language, ""))
        for code, label in SECTIONS.items()
    }


def report_data(report: Report, language: str) -> ReportData:
    """What the report shows in ``language`` (a content language), from its computation."""
    language = report_language(language)
    rtl = language == "ar"
    with translation.override(ui_language(language)):
        indicators = indicator_rows(report, language)
        activities = activity_rows(report, language, indicators)
        narrative = _narrative(report, language)
        statuses = Counter(row.status for row in activities)
        by_status = [
            Count(code, status_label(code), statuses.get(code, 0)) for code in [*Status.values, NOT_REPORTED]
        ]
        methods = Counter(row.method for row in indicators)
        by_method = [Count(code, str(label), methods.get(code, 0)) for code, label in Method.choices]
        areas = []
        for area in AREA_SECTIONS:
            rows = [row for row in indicators if row.area == area]
            counted = [row for row in rows if row.unit == Unit.COUNT and row.total is not None]
            chart = (
                charts.bars(
                    [
                        Point(f"{row.code} {row.name}", row.total.value if row.total else None)
                        for row in counted
                    ],
                    title=str(SECTIONS[area]),
                    rtl=rtl,
                    table_id=f"table-{area}",
                )
                if counted
                else ""
            )
            areas.append(AreaTable(area, str(SECTIONS[area]), narrative[area].text, rows, str(chart)))
        status_chart = charts.columns(
            [Point(count.label, count.count) for count in by_status],
            title=_("Activities by status"),
            rtl=rtl,
            table_id="table-status",
        )
        return ReportData(
            language=language,
            direction="rtl" if rtl else "ltr",
            title=title(report, language),
            period=period_label(report),
            computed_at=report.computation.finished_at if report.computation else None,
            headline=_headline(indicators),
            activities_by_status=by_status,
            indicators_by_method=by_method,
            narrative=narrative,
            areas=areas,
            activities=activities,
            definitions=indicators,
            not_yet_possible=[row for row in indicators if row.method == Method.NOT_YET],
            status_chart=str(status_chart),
            minimum_cell=minimum_cell(),
            indicators=indicators,
            gaps=report_gaps.tables(report.gaps, language),
        )


# The report's life -----------------------------------------------------------------------


def _period(first: int, last: int) -> compute.Period:
    if last < first:
        raise ValidationError(_("The period ends before it starts."), code="period_order")
    return compute.Period.years(first, last)


@transaction.atomic
def create(first: int, last: int, *, by: Any = None) -> Report:
    """A draft report for the years, on the period's current computation (computed now when the
    period has none)."""
    period = _period(first, last)
    computation = compute.current(period) or compute.compute(period, by=by)
    return Report.objects.create(
        period_start=first,
        period_end=last,
        computation=computation,
        gaps=report_gaps.snapshot(period),
        created_by=by,
    )


def _locked(report: Report) -> Report:
    """The report as stored now, locked until the change is done: its state decides."""
    return Report.objects.select_for_update(of=("self",)).select_related("computation").get(pk=report.pk)


def _draft(report: Report) -> None:
    if report.state != Report.State.DRAFT:
        raise ValidationError(
            _("A published report cannot be changed; make a new draft of it instead."), code="published"
        )


@transaction.atomic
def refresh(report: Report) -> Report:
    """Point a draft at the latest computation of its period (none yet: keep what it has)."""
    report = _locked(report)
    _draft(report)
    period = _period(report.period_start, report.period_end)
    latest = compute.current(period)
    if latest is not None and latest.pk != report.computation_id:
        report.computation = latest
    # The gap analysis is taken again with the data, as it stands now.
    report.gaps = report_gaps.snapshot(period)
    report.save(update_fields=["computation", "gaps"])
    return report


@transaction.atomic
def new_draft(report: Report, *, by: Any = None) -> Report:
    """A draft copy of a report, with its data, title and narrative, to change in its place."""
    copy = Report.objects.create(
        period_start=report.period_start,
        period_end=report.period_end,
        title=dict(report.title or {}),
        computation=report.computation,
        gaps=dict(report.gaps or {}),
        created_by=by,
    )
    ReportSection.objects.bulk_create(
        ReportSection(report=copy, section=section.section, texts=dict(section.texts))
        for section in report.sections.all()
    )
    return copy


@transaction.atomic
def write_narrative(report: Report, language: str, texts: dict[str, str], *, by: Any = None) -> Report:
    """Set the narrative of each section in one language (an empty text removes it). A published
    report is left as it is: the change goes to a new draft, which is returned."""
    language = report_language(language)
    unknown = set(texts) - set(SECTIONS)
    if unknown:
        raise ValidationError(_("Unknown section: %(section)s") % {"section": ", ".join(sorted(unknown))})
    report = _locked(report)
    if report.state != Report.State.DRAFT:
        report = new_draft(report, by=by)
    for code, text in texts.items():
        section, _created = ReportSection.objects.select_for_update().get_or_create(
            report=report, section=code
        )
        changed = dict(section.texts)
        if text.strip():
            changed[language] = text.strip()
        else:
            changed.pop(language, None)
        section.texts = changed
        section.save(update_fields=["texts"])
    return report


@transaction.atomic
def publish(report: Report, *, by: Any = None) -> Report:
    """Publish a draft: from now on it shows, to everyone, the numbers of its computation."""
    report = _locked(report)
    _draft(report)
    if report.computation is None or report.computation.state != Computation.State.DONE:
        raise ValidationError(_("The report has no computed data to publish."), code="no_data")
    report.state = Report.State.PUBLISHED
    report.published_by = by
    report.published_at = timezone.now()
    report.save(update_fields=["state", "published_by", "published_at"])
    return report
