"""The quality app's API: standards, reviews' judgments, ratings and statistics (read-only)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality.api import ratings

urlpatterns: list[URLPattern] = []

# --- ratings ---
urlpatterns += [
    path("quality/ratings/", ratings.RatingSummaries.as_view(), name="quality-ratings"),
    path("quality/ratings/<slug:identifier>/", ratings.RatingSummary.as_view(), name="quality-rating"),
]
