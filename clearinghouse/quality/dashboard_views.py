"""The Secretariat's quality dashboard and its CSV download (figures in dashboard.py), for
quality staff only: the Secretariat and the help desk's agents."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from clearinghouse.quality import dashboard
from clearinghouse.quality.items import runs_quality


@require_safe
@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    if not runs_quality(request.user):
        raise PermissionDenied
    found = dashboard.dashboard(get_language())
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="quality-dashboard.csv"'
        # A byte-order mark, so that spreadsheet programs read the six languages' letters right.
        response.write("\ufeff")
        writer = csv.writer(response)
        for row in dashboard.csv_rows(found):
            writer.writerow(row)
        return response
    context = {"dashboard": found, "min_ratings": dashboard.MIN_RATINGS, "listed": dashboard.LISTED}
    return render(request, "quality/dashboard/dashboard.html", context)
