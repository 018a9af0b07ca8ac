"""Routes of the quality app's rating pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality import rating_views

urlpatterns: list[URLPattern] = [
    path("ratings/mine/", rating_views.mine, name="my_ratings"),
    path("ratings/reports/", rating_views.reports, name="rating_reports"),
    path("ratings/cooperations/<int:match_id>/", rating_views.cooperation, name="rate_cooperation"),
    path("ratings/<int:pk>/remove/", rating_views.remove, name="remove_rating"),
    path("ratings/<int:pk>/report/", rating_views.report, name="report_rating"),
    path(
        "ratings/<int:pk>/<slug:action>/",
        rating_views.moderate,
        name="moderate_rating",
    ),
    path("ratings/<slug:identifier>/", rating_views.item, name="ratings"),
]
