"""The public statistics pages (every area's indicators, an activity's, one indicator's) and the
downloads of their values as CSV and XLSX. The numbers come from ``values.read``, the same as the
API's; the Secretariat reads exact values, everyone else with small counts of people hidden."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.core.languages import pick_label
from clearinghouse.monitoring import charts, values
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.labels import dimension_label
from clearinghouse.monitoring.models import Area, Indicator, Method, Unit
from clearinghouse.plan.models import Activity
from clearinghouse.publishing.registry import measures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exact_for(user: Any) -> bool:
    """Whether the person reads small counts of people: the Secretariat only."""
    return bool(getattr(user, "is_authenticated", False) and is_secretariat(user))


class PeriodForm(forms.Form):
    """A computed period to choose, or a range of days; nothing chosen: the current biennium."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = forms.DateField(
        label=gettext_lazy("Or from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("the last day of a period", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, periods: list[Period], default: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [default, *(period for period in periods if period != default)]
        self.fields["period"].choices = [(str(period), period_label(period)) for period in offered]  # type: ignore[attr-defined]
        self.default = default

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if bool(start) != bool(end):
            raise ValidationError(_("Give both the first and the last day of the period."))
        if start and end and end < start:
            raise ValidationError(_("The period ends before it starts."))
        return cleaned

    def chosen(self) -> Period:
        cleaned = self.cleaned_data if self.is_bound else {}
        if cleaned.get("start") and cleaned.get("end"):
            return Period(cleaned["start"], cleaned["end"])
        if cleaned.get("period"):
            return values.parse_period(cleaned["period"])
        return self.default


def period_label(period: Period) -> str:
    years = period.whole_years
    if years is None:
        return _("%(start)s to %(end)s") % {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if years[0] == years[1]:
        return _("Year %(year)s") % {"year": years[0]}
    return _("Biennium %(first)s–%(last)s") % {"first": years[0], "last": years[1]}


def _period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    today: date = timezone.localdate()
    form = PeriodForm(request.GET or None, periods=values.computed_periods(), default=values.biennium(today))
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.chosen()


def _console_link(request: HttpRequest) -> str:
    """Where the Secretariat computes periods, when the console is installed."""
    if not exact_for(request.user):
        return ""
    try:
        return reverse("monitoring_console:index")
    except NoReverseMatch:
        return ""


def _chart_context(found: values.IndicatorValues, reading: values.Reading, *, rtl: bool) -> dict[str, Any]:
    code = found.indicator.code.replace(".", "-")
    trend = charts.columns(
        [charts.Point(str(point.year), point.shown.value) for point in found.trend],
        title=_("%(name)s by year") % {"name": found.name},
        target=found.target,
        rtl=rtl,
        table_id=f"trend-{code}",
    )
    return {
        "found": found,
        "trend_chart": trend,
        "table_id": f"trend-{code}",
        "dimensions": [
            (dimension, dimension_label(dimension)) for dimension in found.indicator.disaggregations
        ],
    }


def _common(request: HttpRequest, form: PeriodForm, period: Period | None) -> dict[str, Any]:
    return {
        "form": form,
        "period": period,
        "period_label": period_label(period) if period else "",
        "query": request.GET.urlencode(),
        "exact": exact_for(request.user),
        "threshold": values.min_cell(),
        "console": _console_link(request),
    }


def _indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("activity", "item")


def _headlines(found: list[values.IndicatorValues], size: int = 3) -> list[values.IndicatorValues]:
    """An area's headline numbers: what the whole area counts before one activity's share, and
    numbers before zeros, keeping the plan's order otherwise."""
    shown = [item for item in found if item.has_value]
    return sorted(shown, key=lambda item: (item.indicator.activity_only, not item.total.value))[:size]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The areas, with the headline numbers of the current biennium."""
    period = values.biennium(timezone.localdate())
    reading = values.read(_indicators(), period, exact=exact_for(request.user), trend=False)
    by_area: dict[str, list[values.IndicatorValues]] = {}
    for found in reading.indicators:
        by_area.setdefault(found.indicator.area, []).append(found)
    areas = [
        {
            "code": code,
            "label": label,
            "headlines": _headlines(by_area.get(code, [])),
            "count": len(by_area.get(code, [])),
        }
        for code, label in Area.choices
    ]
    return render(
        request,
        "monitoring/index.html",
        {
            "areas": areas,
            "reading": reading,
            "period_label": period_label(period),
            "threshold": reading.threshold,
        },
    )


@require_safe
def area(request: HttpRequest, area: str) -> HttpResponse:
    """Every indicator of an area: value, target and trend."""
    if area not in Area.values:
        raise Http404
    form, period = _period(request)
    context = _common(request, form, period) | {"area": area, "area_label": Area(area).label}
    if period is None:
        return render(request, "monitoring/area.html", context, status=400)
    reading = values.read(_indicators().filter(area=area), period, exact=context["exact"])
    rtl = get_language_bidi()
    # What counts the whole area is drawn; what counts one activity's share, or is entered by
    # hand, is one row each of a table: an area holds up to seventy indicators.
    drawn = [found for found in reading.indicators if _drawn(found)]
    listed = [found for found in reading.indicators if not _drawn(found)]
    context |= {
        "reading": reading,
        "indicators": [_chart_context(found, reading, rtl=rtl) for found in drawn],
        "listed": listed,
        "years": [point.year for point in listed[0].trend] if listed else [],
    }
    return render(request, "monitoring/area.html", context)


def _drawn(found: values.IndicatorValues) -> bool:
    return found.indicator.method == Method.COMPUTED and not found.indicator.activity_only


@require_safe
def activity(request: HttpRequest, number: int) -> HttpResponse:
    """An activity's indicators: computed, entered with evidence, and not yet possible."""
    chosen = get_object_or_404(Activity, number=number)
    form, period = _period(request)
    context = _common(request, form, period) | {"activity": chosen}
    if period is None:
        return render(request, "monitoring/activity.html", context, status=400)
    reading = values.read(_indicators().filter(activity=chosen), period, exact=context["exact"], trend=False)
    context |= {
        "reading": reading,
        "computed": [found for found in reading.indicators if found.indicator.method == Method.COMPUTED],
        "manual": [found for found in reading.indicators if found.indicator.method == Method.MANUAL],
        "not_yet": [found for found in reading.indicators if found.indicator.method == Method.NOT_YET],
    }
    return render(request, "monitoring/activity.html", context)


def generated_definition(indicator: Indicator) -> str:
    """A definition from what the indicator counts, for indicators without a written one."""
    catalogue = measures()
    numerator = catalogue.get(indicator.numerator)
    counted = str(numerator.label) if numerator is not None else indicator.numerator
    if indicator.denominator:
        denominator = catalogue.get(indicator.denominator)
        below = str(denominator.label) if denominator is not None else indicator.denominator
        text = _("%(numerator)s divided by %(denominator)s") % {"numerator": counted, "denominator": below}
    else:
        text = counted
    rule = (
        _("counted from the beginning up to the end of the period")
        if indicator.cumulative
        else _("counted over the period")
    )
    parts = [_("%(what)s, %(rule)s.") % {"what": text, "rule": rule}]
    parts.append(_("Unit: %(unit)s.") % {"unit": indicator.get_unit_display()})
    if indicator.activity_only:
        parts.append(
            _("Only what serves activity %(number)s counts.") % {"number": indicator.activity.number}
        )
    if indicator.disaggregations:
        parts.append(
            _("Broken down by: %(dimensions)s.")
            % {"dimensions": ", ".join(dimension_label(code) for code in indicator.disaggregations)}
        )
    return " ".join(parts)


@require_safe
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: definition, trend with its target, a disaggregation, each with its table."""
    chosen = get_object_or_404(_indicators(), code=code)
    form, period = _period(request)
    dimension = request.GET.get("dimension") or (chosen.disaggregations[0] if chosen.disaggregations else "")
    if dimension and dimension not in chosen.disaggregations:
        dimension = ""
    context = _common(request, form, period) | {
        "indicator": chosen,
        "name": pick_label(chosen.texts) or chosen.code,
        "definition": pick_label(chosen.definitions)
        or (generated_definition(chosen) if chosen.method == Method.COMPUTED else ""),
        "dimension": dimension,
        "dimensions": [(code, dimension_label(code)) for code in chosen.disaggregations],
    }
    if period is None:
        return render(request, "monitoring/indicator.html", context, status=400)
    reading = values.read(
        [chosen], period, exact=context["exact"], dimensions=[dimension] if dimension else ()
    )
    found = reading.indicators[0]
    rtl = get_language_bidi()
    breakdown = found.breakdowns[0] if found.breakdowns else None
    context |= {"reading": reading, **_chart_context(found, reading, rtl=rtl), "breakdown": breakdown}
    if breakdown is not None:
        context["breakdown_chart"] = charts.bars(
            [charts.Point(row.label, row.shown.value) for row in breakdown.rows],
            title=_("%(name)s by %(dimension)s") % {"name": found.name, "dimension": breakdown.label},
            rtl=rtl,
            table_id="breakdown",
        )
    context["is_share"] = chosen.unit == Unit.SHARE
    return render(request, "monitoring/indicator.html", context)


# --- downloads -------------------------------------------------------------------------------------


def _download(
    request: HttpRequest, indicators: QuerySet[Indicator], name: str, file_format: str
) -> HttpResponse:
    form, period = _period(request)
    if period is None:
        problems = " ".join(str(message) for messages in form.errors.values() for message in messages)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    reading = values.read(indicators, period, exact=exact_for(request.user), dimensions=None, trend=False)
    rows = values.table(reading)
    filename = f"{name}-{str(period).replace('/', '_')}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        # A byte-order mark, so that spreadsheet programs read the six languages' letters right.
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerows(rows)
    else:
        workbook = Workbook()
        workbook.remove(workbook.worksheets[0])
        sheet = workbook.create_sheet(str(period).replace("/", " ")[:31])
        sheet.sheet_view.rightToLeft = bool(get_language_bidi())
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = get_language() or "en"
    return response


@require_safe
def area_download(request: HttpRequest, area: str, file_format: str) -> HttpResponse:
    if area not in Area.values:
        raise Http404
    return _download(request, _indicators().filter(area=area), f"statistics-{area}", file_format)


@require_safe
def indicator_download(request: HttpRequest, code: str, file_format: str) -> HttpResponse:
    chosen = get_object_or_404(Indicator, code=code)
    return _download(request, _indicators().filter(pk=chosen.pk), f"indicator-{code}", file_format)
