"""The alumni and communities statistics page and its CSV download (figures in statistics.py),
for the Secretariat (every Party, exact figures) and focal points (their Parties' figures, small
counts of people hidden as on every public table)."""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import Role
from clearinghouse.community import statistics
from clearinghouse.core.forms import DateRangeForm


def may_see_statistics(user: Any) -> bool:
    return bool(roles.is_secretariat(user) or roles.countries_for(user, Role.FOCAL_POINT))


def scope_for(user: Any, form: DateRangeForm) -> statistics.Scope:
    """Every Party for the Secretariat, else the Parties the person is the focal point of."""
    values = form.cleaned_data if form.is_bound else {}
    countries = None if roles.is_secretariat(user) else roles.countries_for(user, Role.FOCAL_POINT)
    return statistics.Scope(countries, values.get("start"), values.get("end"))


@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated or not may_see_statistics(request.user):
        raise PermissionDenied
    form = DateRangeForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "threshold": statistics.THRESHOLD}
    if form.is_bound and not form.is_valid():
        return render(request, "community/statistics/statistics.html", context, status=400)
    exact = roles.is_secretariat(request.user)
    report = statistics.report(scope_for(request.user, form), exact=exact)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="community-statistics.csv"'
        # A byte-order mark, so that spreadsheet programs read the six languages' letters right.
        response.write("\ufeff")
        writer = csv.writer(response)
        for row in statistics.csv_rows(report):
            writer.writerow(row)
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    context |= {"report": report, "csv_query": query.urlencode()}
    return render(request, "community/statistics/statistics.html", context)
