"""The gap analysis page, /statistics/gaps/, and its CSV download (figures in gaps.py). Public:
the figures count public records, never people."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clearinghouse.monitoring import charts, gaps
from clearinghouse.monitoring.charts import Point
from clearinghouse.monitoring.compute import Period

# The periods offered: from the first year the clearing-house's records are counted from to the
# end of the Global Biodiversity Framework's targets (2030), or the current biennium if later.
FIRST_YEAR = 2021
LAST_YEAR = 2030

# Titles of the charts and captions of the tables, whole sentences per breakdown.
CHART_TITLES = {
    "target": gettext_lazy("Needs without a match, by GBF target"),
    "subject": gettext_lazy("Needs without a match, by subject"),
    "region": gettext_lazy("Needs without a match, by UN region"),
    "support_type": gettext_lazy("Needs without a match, by type of support"),
}
CAPTIONS = {
    "target": gettext_lazy("Needs, support on offer and matches, by GBF target"),
    "subject": gettext_lazy("Needs, support on offer and matches, by subject"),
    "region": gettext_lazy("Needs, support on offer and matches, by UN region"),
    "support_type": gettext_lazy("Needs, support on offer and matches, by type of support"),
}


def _biennium_start(year: int) -> int:
    """The Convention's bienniums start in odd years (2025-2026)."""
    return year if year % 2 else year - 1


def current_biennium() -> Period:
    first = _biennium_start(timezone.localdate().year)
    return Period.years(first, first + 1)


def period_choices() -> list[tuple[str, str]]:
    """Every biennium, then every year, the latest first."""
    last = max(LAST_YEAR, current_biennium().end.year)
    bienniums = [
        (f"{first}-{first + 1}", f"{first}–{first + 1}")
        for first in range(_biennium_start(last), FIRST_YEAR - 1, -2)
    ]
    years = [(str(year), str(year)) for year in range(last, FIRST_YEAR - 1, -1)]
    return bienniums + years


def parse_period(value: str) -> Period:
    """ "2025-2026" or "2025" as a Period."""
    first, _dash, last = value.partition("-")
    return Period.years(int(first), int(last) if last else None)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["period"])
        field.choices = period_choices()
        field.error_messages["invalid_choice"] = gettext_lazy(
            "Choose a year or a biennium from the list, such as 2025-2026."
        )


def chosen_period(data: Any) -> tuple[PeriodForm, Period | None]:
    """The form over the query and the period it names: the current biennium when the query
    names none, None when it names one wrongly (an empty one too). Shared by the page, the CSV
    and the API."""
    form = PeriodForm(
        data if data and "period" in data else None, initial={"period": str(current_biennium())}
    )
    if not form.is_bound:
        return form, current_biennium()
    if not form.is_valid():
        return form, None
    return form, parse_period(form.cleaned_data["period"])


@require_safe
def gaps_page(request: HttpRequest) -> HttpResponse:
    form, period = chosen_period(request.GET)
    if period is None:
        return render(request, "monitoring/gaps.html", {"form": form}, status=400)
    analysis = gaps.analyse(period)
    rtl = get_language_bidi()
    tables = [
        {
            "breakdown": breakdown,
            "caption": CAPTIONS[breakdown.dimension],
            "chart": charts.bars(
                [Point(row.label, row.unmatched) for row in breakdown.rows if row.unmatched],
                title=str(CHART_TITLES[breakdown.dimension]),
                rtl=rtl,
                table_id=f"table-{breakdown.dimension}",
            ),
        }
        for breakdown in analysis.breakdowns
    ]
    funnel_chart = charts.bars(
        [Point(stage.label, stage.needs) for stage in analysis.funnel],
        title=_("Needs registered in the period, by the furthest stage they reached"),
        rtl=rtl,
        table_id="table-funnel",
    )
    return render(
        request,
        "monitoring/gaps.html",
        {
            "form": form,
            "analysis": analysis,
            "period_label": str(period).replace("-", "–"),
            "tables": tables,
            "funnel_chart": funnel_chart,
            "csv_query": f"period={period}",
        },
    )


def csv_rows(analysis: gaps.Gaps) -> Sequence[Sequence[object]]:
    """The analysis as one long table: table, code, name, figure, value."""
    rows: list[Sequence[object]] = [(_("Table"), _("Code"), _("Name"), _("Figure"), _("Value"))]
    rows += [
        (_("In short"), "", "", _("Needs registered"), analysis.needs),
        (_("In short"), "", "", _("Support on offer"), analysis.support),
    ]
    for breakdown in analysis.breakdowns:
        for row in breakdown.rows:
            rows += [
                (breakdown.label, row.key, row.label, _("Needs"), row.needs),
                (breakdown.label, row.key, row.label, _("Support on offer"), row.support),
                (breakdown.label, row.key, row.label, _("Matches"), row.matches),
                (breakdown.label, row.key, row.label, _("Needs without a match"), row.unmatched),
                (breakdown.label, row.key, row.label, _("Gap ratio"), _blank(row.gap_ratio)),
            ]
    for need in analysis.longest_unmatched:
        waiting = _("Needs waiting longest")
        rows += [
            (waiting, need.identifier, need.title, _("Party"), need.party),
            (waiting, need.identifier, need.title, _("Registered"), need.registered.isoformat()),
            (waiting, need.identifier, need.title, _("Days waiting"), need.age_days),
            (waiting, need.identifier, need.title, _("GBF targets"), " ".join(need.targets)),
        ]
    cofunding = analysis.cofunding
    for table, amounts in (
        (_("Co-funding by currency"), cofunding.by_currency),
        (_("Co-funding by UN region"), cofunding.by_region),
        (_("Co-funding by GBF target"), cofunding.by_target),
    ):
        for amount in amounts:
            figure = _("Amount (%(currency)s)") % {"currency": amount.currency}
            rows.append((table, amount.key, amount.label, figure, amount.amount))
    for stage in analysis.funnel:
        rows += [
            (_("Funnel"), stage.code, stage.label, _("Needs"), stage.needs),
            (
                _("Funnel"),
                stage.code,
                stage.label,
                _("Median days from the previous stage"),
                _blank(stage.median_days),
            ),
        ]
    return rows


def _blank(value: object | None) -> object:
    return "" if value is None else value


@require_safe
def gaps_csv(request: HttpRequest) -> HttpResponse:
    form, period = chosen_period(request.GET)
    if period is None:
        problems = " ".join(str(message) for messages in form.errors.values() for message in messages)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gaps-{period}.csv"'
    # A byte-order mark, so that spreadsheet programs read the six languages' letters right.
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in csv_rows(gaps.analyse(period)):
        writer.writerow(row)
    return response
