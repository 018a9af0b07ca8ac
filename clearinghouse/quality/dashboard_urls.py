"""Routes of the quality app's dashboard pages: the Secretariat's dashboard and the public
statistics."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality import dashboard_views, statistics_views

urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
]
