"""The quality app's API: standards, reviews' judgments, ratings and statistics (read-only)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality.api import dashboard, ratings, review_views

urlpatterns: list[URLPattern] = []

# --- dashboard: the public quality statistics ---
urlpatterns += [
    path("quality/statistics/", dashboard.QualityStatistics.as_view(), name="quality-statistics"),
]

# --- reviews: an item's quality mark ------------------------------------------------------------
urlpatterns += [
    path("quality/marks/<str:identifier>/", review_views.ItemQualityMark.as_view(), name="quality-mark"),
]

# --- ratings ---
urlpatterns += [
    path("quality/ratings/", ratings.RatingSummaries.as_view(), name="quality-ratings"),
    path("quality/ratings/<slug:identifier>/", ratings.RatingSummary.as_view(), name="quality-rating"),
]
