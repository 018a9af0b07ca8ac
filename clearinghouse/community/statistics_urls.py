"""Routes of the community app: statistics (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import statistics_views as views

urlpatterns: list[URLPattern] = [
    path("statistics/", views.statistics_page, name="statistics"),
]
