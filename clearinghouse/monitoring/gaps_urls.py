"""The gap analysis' page and download, at /statistics/gaps/ (namespace ``monitoring_gaps``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.monitoring import gaps_views

app_name = "monitoring_gaps"

urlpatterns: list[URLPattern] = [
    path("", gaps_views.gaps_page, name="gaps"),
    path("csv/", gaps_views.gaps_csv, name="csv"),
]
