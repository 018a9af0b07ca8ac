"""The learning statistics pages, overall and per course, with their CSV download (figures and
privacy rules in statistics.py)."""

from __future__ import annotations

import csv
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clearinghouse.accounts import roles
from clearinghouse.core.forms import DateRangeForm
from clearinghouse.core.languages import content_language
from clearinghouse.learning import statistics
from clearinghouse.learning.certificates import course_title, may_manage
from clearinghouse.learning.models import Course


def _page(
    request: HttpRequest,
    courses: QuerySet[Course],
    context: dict[str, Any],
    *,
    per_course: bool,
    filename: str,
) -> HttpResponse:
    form = DateRangeForm(request.GET or None)
    context |= {"form": form, "threshold": statistics.THRESHOLD}
    if form.is_bound and not form.is_valid():
        return render(request, "learning/statistics/statistics.html", context, status=400)
    values = form.cleaned_data if form.is_bound else {}
    period = statistics.Period(values.get("start"), values.get("end"))
    exact = statistics.sees_exact(request.user, courses)
    tables = statistics.report(courses, exact=exact, period=period, per_course=per_course)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        # A byte-order mark, so that spreadsheet programs read the six languages' letters right.
        response.write("\ufeff")
        writer = csv.writer(response)
        for row in statistics.csv_rows(tables):
            writer.writerow(row)
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    context |= {
        "tables": tables,
        "exact": exact,
        "measures": [statistics.MEASURE_LABELS[measure] for measure in statistics.Measure],
        "csv_query": query.urlencode(),
        "courses_count": courses.count(),
    }
    return render(request, "learning/statistics/statistics.html", context)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Figures over every public course (and every course, for the Secretariat)."""
    courses = Course.objects.all() if roles.is_secretariat(request.user) else Course.objects.filter(live=True)
    return _page(
        request,
        courses.select_related("owner_country", "owner_organisation"),
        {"heading": _("Learning statistics"), "course": None},
        per_course=True,
        filename="learning-statistics",
    )


@require_safe
def course_statistics(request: HttpRequest, identifier: str) -> HttpResponse:
    """Figures of one course: public once it is published, exact for its owners."""
    course = get_object_or_404(Course, identifier=identifier)
    if not course.live and not may_manage(request.user, course):
        raise Http404
    title = course_title(course, content_language())
    return _page(
        request,
        Course.objects.filter(pk=course.pk).select_related("owner_country", "owner_organisation"),
        {"heading": _("Learning statistics"), "course": course, "course_title": title},
        per_course=False,
        filename=f"learning-statistics-{course.identifier}",
    )


urlpatterns = [
    path("statistics/", overview, name="statistics"),
    path("courses/<str:identifier>/statistics/", course_statistics, name="course_statistics"),
]
