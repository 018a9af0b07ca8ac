"""The quality app's API: standards, reviews' judgments, ratings and statistics (read-only)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality.api import review_views

urlpatterns: list[URLPattern] = []

# --- reviews: an item's quality mark ------------------------------------------------------------
urlpatterns += [
    path("quality/marks/<str:identifier>/", review_views.ItemQualityMark.as_view(), name="quality-mark"),
]
