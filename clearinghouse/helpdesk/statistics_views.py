"""The help desk's statistics page and its CSV download (figures in statistics.py), for the
Secretariat and the desks' agents: each agent sees the desks they work (every desk for the
Secretariat and the central desk's agents)."""

from __future__ import annotations

import csv
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from clearinghouse.accounts.permissions import is_secretariat
from clearinghouse.helpdesk import statistics
from clearinghouse.helpdesk.models import Desk
from clearinghouse.helpdesk.services import agent_desks


def may_see_statistics(user: Any) -> bool:
    return bool(is_secretariat(user) or agent_desks(user))


def visible_desks(user: Any) -> list[Desk]:
    """The desks whose figures the person sees: every desk (active or not) for the Secretariat,
    else the desks they work."""
    if is_secretariat(user):
        return list(Desk.objects.all())
    return agent_desks(user)


class StatisticsForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    desk = forms.ChoiceField(label=gettext_lazy("Desk"), required=False)

    def __init__(self, *args: Any, desks: list[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["desk"]).choices = [
            ("", _("All my desks")),
            *((desk.code, str(desk)) for desk in desks),
        ]

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        if values.get("start") and values.get("end") and values["start"] > values["end"]:
            raise ValidationError(_("The period ends before it starts."))
        return values


def filters_for(user: Any, data: Any) -> tuple[StatisticsForm, statistics.Filters | None]:
    """The form over the request's query, and the filters it gives (None when it is invalid):
    always limited to the desks the person sees. Shared by the page, the CSV and the API."""
    desks = visible_desks(user)
    form = StatisticsForm(data or None, desks=desks)
    if form.is_bound and not form.is_valid():
        return form, None
    values = form.cleaned_data if form.is_bound else {}
    chosen = [desk.pk for desk in desks if desk.code == values.get("desk")]
    ids: list[int] | None = chosen or (None if is_secretariat(user) else [desk.pk for desk in desks])
    return form, statistics.Filters(values.get("start"), values.get("end"), ids)


def _allowed(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not may_see_statistics(request.user):
        raise PermissionDenied


@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form, filters = filters_for(request.user, request.GET)
    context: dict[str, Any] = {"form": form}
    if filters is None:
        return render(request, "helpdesk/statistics.html", context, status=400)
    report = statistics.report(filters)
    largest_rating = max((count for _score, count in report.satisfaction.distribution), default=0) or 1
    largest_year = max((parties for _year, parties in report.parties_by_year), default=0) or 1
    # Bars as shares (0–100) of the largest figure; "start" is where a right-to-left bar begins.
    ratings = [
        (score, count, round(100 * count / largest_rating))
        for score, count in report.satisfaction.distribution
    ]
    years = [(year, parties, round(100 * parties / largest_year)) for year, parties in report.parties_by_year]
    context |= {
        "report": report,
        "csv_query": request.GET.urlencode(),
        "timings": [
            {
                "measure": measure,
                "median": statistics.hours(measure.median),
                "p90": statistics.hours(measure.p90),
            }
            for measure in report.timings
        ],
        "ratings": [
            {"score": score, "count": count, "bar": bar, "start": 100 - bar} for score, count, bar in ratings
        ],
        "years": [
            {"year": year, "parties": parties, "bar": bar, "start": 100 - bar} for year, parties, bar in years
        ],
    }
    return render(request, "helpdesk/statistics.html", context)


@require_safe
def statistics_csv(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form, filters = filters_for(request.user, request.GET)
    if filters is None:
        problems = " ".join(str(message) for messages in form.errors.values() for message in messages)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="helpdesk-statistics.csv"'
    # A byte-order mark, so that spreadsheet programs read the six languages' letters right.
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in statistics.csv_rows(statistics.report(filters)):
        writer.writerow(row)
    return response
