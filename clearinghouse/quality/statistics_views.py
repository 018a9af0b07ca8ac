"""The public quality statistics page (figures in statistics.py): open to everyone, like
monitoring's statistics pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clearinghouse.core.forms import DateRangeForm
from clearinghouse.quality import statistics


def period_of(form: DateRangeForm) -> statistics.Period:
    values = form.cleaned_data if form.is_bound else {}
    return statistics.Period(values.get("start"), values.get("end"))


@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = DateRangeForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "min_ratings": statistics.MIN_RATINGS}
    if form.is_bound and not form.is_valid():
        return render(request, "quality/dashboard/statistics.html", context, status=400)
    context["report"] = statistics.report(period_of(form))
    return render(request, "quality/dashboard/statistics.html", context)
