"""Learning statistics for monitoring: enrolments, completions, passes (and the pass rate),
certificates and offline package downloads, per course and overall, by period, and
disaggregated by country, UN regional group, gender, IPLC, sector and role.

What counts where:

- each figure is dated by its own event: enrolments by the day of enrolment, completions and
  passes by the day of completion, certificates (valid ones: revoked certificates do not count)
  by the day of issue, downloads by the day of download; a period selects on those dates;
- totals count everyone; a disaggregation counts only the enrolments whose learner consented
  to be counted (``Enrolment.consents_to_statistics``), and shows the others in one row,
  "not counted (no consent)". A download is disaggregated by the downloader's enrolment in the
  course when they consented, else it falls in that row (as do anonymous downloads);
- the pass rate is passes over completions with a quiz result (a course without quizzes has
  none).

Privacy: the disaggregated tables follow the events' rule (events/statistics.py): no figure under
``THRESHOLD`` is shown, and a figure that would give a hidden one away is hidden too, unless the
reader sees exact figures (the Secretariat, and the owners of every course counted). The tables
per course and per month carry no personal characteristic and are shown as counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearinghouse.accounts import roles
from clearinghouse.events.models import Gender, Sector
from clearinghouse.events.statistics import THRESHOLD, Figure, Hidden, protect
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.learning.certificates import course_title, may_manage
from clearinghouse.learning.models import (
    Course,
    CourseCertificate,
    Enrolment,
    EnrolmentStatus,
    PackageDownload,
)

__all__ = ["THRESHOLD", "Figure", "Hidden"]

WITHHELD = "-"  # the row of those who did not consent (no group's key is "-")


class Measure(StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    PASSED = "passed"
    CERTIFIED = "certified"
    DOWNLOADED = "downloaded"


MEASURE_LABELS: dict[Measure, Promise] = {
    Measure.ENROLLED: gettext_lazy("Enrolments"),
    Measure.COMPLETED: gettext_lazy("Completions"),
    Measure.PASSED: gettext_lazy("Passed"),
    Measure.CERTIFIED: gettext_lazy("Certificates"),
    Measure.DOWNLOADED: gettext_lazy("Package downloads"),
}


class Dimension(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    GENDER = "gender"
    IPLC = "iplc"
    SECTOR = "sector"
    ROLE = "role"


DIMENSION_LABELS: dict[Dimension, Promise] = {
    Dimension.COUNTRY: gettext_lazy("By country"),
    Dimension.REGION: gettext_lazy("By UN regional group"),
    Dimension.GENDER: gettext_lazy("By gender"),
    Dimension.IPLC: gettext_lazy("Representing indigenous peoples and local communities"),
    Dimension.SECTOR: gettext_lazy("By sector"),
    Dimension.ROLE: gettext_lazy("By role"),
}
# The enrolment's field each dimension groups by.
_KEYS = {
    Dimension.COUNTRY: "country__code",
    Dimension.REGION: "country__regional_group",
    Dimension.GENDER: "gender",
    Dimension.IPLC: "represents_iplc",
    Dimension.SECTOR: "sector",
    Dimension.ROLE: "job_role",
}


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included; either may be open."""

    start: date | None = None
    end: date | None = None

    def q(self, field: str) -> Q:
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__date__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__date__lte": self.end})
        return condition


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figures: Mapping[Measure, Figure]
    # The pass rate as shown ("80%"), or "" when there is none or it would reveal a hidden figure.
    pass_rate: str = ""

    def cells(self) -> list[Figure]:
        return [self.figures[measure] for measure in Measure]


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    rows: tuple[Row, ...]
    total: Row
    exact: bool


# --- what is counted -----------------------------------------------------------------------------


def _enrolments(courses: QuerySet[Course]) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(course__in=courses)


def _sources(courses: QuerySet[Course], period: Period) -> dict[str, tuple[QuerySet[Any], str]]:
    """Per measure (and the completions with a quiz result, for the rate): the rows counted and
    the path from them to the enrolment."""
    completed = _enrolments(courses).filter(Q(status=EnrolmentStatus.COMPLETED) & period.q("completed_at"))
    return {
        Measure.ENROLLED: (_enrolments(courses).filter(period.q("enrolled_at")), ""),
        Measure.COMPLETED: (completed, ""),
        Measure.PASSED: (completed.filter(passed=True), ""),
        "assessed": (completed.filter(passed__isnull=False), ""),
        Measure.CERTIFIED: (
            CourseCertificate.objects.filter(
                Q(enrolment__course__in=courses, revoked_at__isnull=True) & period.q("issued_at")
            ),
            "enrolment__",
        ),
        Measure.DOWNLOADED: (PackageDownload.objects.filter(Q(course__in=courses) & period.q("at")), ""),
    }


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _grouped(measure: str, rows: QuerySet[Any], prefix: str, by: Dimension) -> dict[str, int]:
    """Counts of the consenting by the dimension's key, and of the others under WITHHELD."""
    path = _KEYS[by]
    if measure == Measure.DOWNLOADED:
        # A download is counted by the downloader's consenting enrolment in the same course.
        consenting = Enrolment.objects.filter(
            course=OuterRef("course"), person=OuterRef("person"), consents_to_statistics=True
        )
        rows = rows.annotate(consents=Exists(consenting), group=Subquery(consenting.values(path)[:1]))
        counted = rows.filter(consents=True)
        grouped = counted.values("group").annotate(n=Count("pk")).order_by()
        counts = {_key(item["group"]): int(item["n"]) for item in grouped}
    else:
        counted = rows.filter(**{f"{prefix}consents_to_statistics": True})
        grouped = counted.values(f"{prefix}{path}").annotate(n=Count("pk")).order_by()
        counts = {_key(item[f"{prefix}{path}"]): int(item["n"]) for item in grouped}
    withheld = rows.count() - sum(counts.values())
    if withheld:
        counts[WITHHELD] = withheld
    return counts


def _label(by: Dimension, key: str, countries: Mapping[str, Country]) -> str:
    if key == WITHHELD:
        return _("Not counted (no consent)")
    if key == "":
        return _("Not given")
    if by == Dimension.COUNTRY:
        country = countries.get(key)
        return country.name() if country else key
    if by == Dimension.IPLC:
        return _("Yes") if key == "yes" else _("No")
    if by == Dimension.ROLE:
        return key
    choices: dict[Dimension, Any] = {
        Dimension.REGION: RegionalGroup,
        Dimension.GENDER: Gender,
        Dimension.SECTOR: Sector,
    }
    try:
        return str(choices[by](key).label)
    except ValueError:
        return key


def _rate(passed: int, assessed: int, shown: bool) -> str:
    if not assessed or not shown:
        return ""
    return _("%(percent)d%%") % {"percent": round(100 * passed / assessed)}


def _rate_shown(passed: Figure, assessed: int, exact: bool) -> bool:
    """A rate is shown with exact figures, or when the passes are shown and the completions
    behind it are not few (a rate over a handful of people tells about each of them)."""
    return exact or (passed.value is not None and assessed >= THRESHOLD)


# --- tables --------------------------------------------------------------------------------------


def breakdown(courses: QuerySet[Course], by: Dimension | str, *, exact: bool, period: Period) -> Table:
    """One disaggregated table: a row per group of consenting learners, one for the others, the
    total of everyone. Unless ``exact``, small figures and those that would reveal them are hidden."""
    by = Dimension(by)
    sources = _sources(courses, period)
    counts = {measure: _grouped(measure, rows, prefix, by) for measure, (rows, prefix) in sources.items()}
    keys = sorted({key for column in counts.values() for key in column})
    countries: dict[str, Country] = {}
    groups: list[set[str]] = []
    if by == Dimension.COUNTRY:
        countries = {country.code: country for country in Country.objects.filter(code__in=keys)}
        regions: dict[str, set[str]] = {}
        for code, country in countries.items():
            regions.setdefault(country.regional_group or "", set()).add(code)
        groups = list(regions.values())
    shown: dict[Measure, dict[str, Figure]] = {}
    totals: dict[Measure, Figure] = {}
    for measure in Measure:
        column = {key: counts[measure].get(key, 0) for key in keys}
        shown[measure], totals[measure] = protect(column, groups, exact)
    assessed = counts["assessed"]
    rows = [
        Row(
            key,
            _label(by, key, countries),
            {measure: shown[measure][key] for measure in Measure},
            _rate(
                counts[Measure.PASSED].get(key, 0),
                assessed.get(key, 0),
                _rate_shown(shown[Measure.PASSED][key], assessed.get(key, 0), exact),
            ),
        )
        for key in keys
    ]
    rows.sort(
        key=lambda row: (
            row.key == WITHHELD,
            -(row.figures[Measure.ENROLLED].value or 0),
            row.label.casefold(),
        )
    )
    total_assessed = sum(assessed.values())
    total = Row(
        "",
        _("Total"),
        totals,
        _rate(
            sum(counts[Measure.PASSED].values()),
            total_assessed,
            _rate_shown(totals[Measure.PASSED], total_assessed, exact),
        ),
    )
    return Table(str(by), str(DIMENSION_LABELS[by]), tuple(rows), total, exact)


def _plain_table(
    name: str,
    label: str,
    counts: Mapping[str, Mapping[str, int]],
    labels: Mapping[str, str],
    order: list[str],
) -> Table:
    """A table shown as counted (no personal characteristic in it)."""

    def row(key: str, text: str, column: Mapping[str, Mapping[str, int]]) -> Row:
        figures = {measure: Figure(column[measure].get(key, 0)) for measure in Measure}
        return Row(
            key,
            text,
            figures,
            _rate(column[Measure.PASSED].get(key, 0), column["assessed"].get(key, 0), True),
        )

    rows = tuple(row(key, labels[key], counts) for key in order)
    summed = {measure: {"": sum(column.values())} for measure, column in counts.items()}
    return Table(name, label, rows, row("", _("Total"), summed), exact=True)


def by_course(courses: QuerySet[Course], period: Period, language: str | None = None) -> Table:
    """Every figure per course."""
    paths: dict[str, str] = {Measure.CERTIFIED: "enrolment__course_id", Measure.DOWNLOADED: "course_id"}
    counts: dict[str, dict[str, int]] = {}
    for measure, (rows, _prefix) in _sources(courses, period).items():
        path = paths.get(measure, "course_id")
        grouped = rows.values(path).annotate(n=Count("pk")).order_by()
        counts[measure] = {str(item[path]): int(item["n"]) for item in grouped}
    listed = list(courses.order_by("identifier"))
    labels = {str(course.pk): course_title(course, language) for course in listed}
    return _plain_table("course", str(_("By course")), counts, labels, [str(course.pk) for course in listed])


def by_month(courses: QuerySet[Course], period: Period) -> Table:
    """Every figure per calendar month (of its own date)."""
    fields = {
        Measure.ENROLLED: "enrolled_at",
        Measure.COMPLETED: "completed_at",
        Measure.PASSED: "completed_at",
        "assessed": "completed_at",
        Measure.CERTIFIED: "issued_at",
        Measure.DOWNLOADED: "at",
    }
    counts: dict[str, dict[str, int]] = {}
    months: dict[str, date] = {}
    zone = timezone.get_current_timezone()
    for measure, (rows, _prefix) in _sources(courses, period).items():
        grouped = (
            rows.annotate(month=TruncMonth(fields[measure], tzinfo=zone))
            .values("month")
            .annotate(n=Count("pk"))
        )
        column: dict[str, int] = {}
        for item in grouped.order_by():
            month = item["month"]
            key = f"{month:%Y-%m}"
            months[key] = month
            column[key] = int(item["n"])
        counts[measure] = column
    order = sorted(months)
    labels = {key: date_format(months[key], "YEAR_MONTH_FORMAT") for key in order}
    return _plain_table("month", str(_("By month")), counts, labels, order)


def sees_exact(user: Any, courses: Iterable[Course]) -> bool:
    """Exact figures for the Secretariat, and for the owners of every course counted."""
    if roles.is_secretariat(user):
        return True
    listed = list(courses)
    return bool(listed) and all(may_manage(user, course) for course in listed)


def report(courses: QuerySet[Course], *, exact: bool, period: Period, per_course: bool = True) -> list[Table]:
    """The tables of a statistics page: per course (when several), per month, then each
    disaggregation."""
    tables = [by_course(courses, period)] if per_course else []
    tables.append(by_month(courses, period))
    tables += [breakdown(courses, by, exact=exact, period=period) for by in Dimension]
    return tables


def csv_rows(tables: Iterable[Table]) -> Iterator[list[str]]:
    """The tables as CSV rows, figures as shown (hidden ones as their notice)."""
    yield [
        str(_("Table")),
        str(_("Group")),
        *(str(MEASURE_LABELS[measure]) for measure in Measure),
        str(_("Pass rate")),
    ]
    for table in tables:
        for row in (*table.rows, table.total):
            yield [table.label, row.label, *(str(figure) for figure in row.cells()), row.pass_rate]
