"""The quality app's API: standards, reviews' judgments, ratings and statistics (read-only)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality.api import dashboard, ratings, review_views, standard_views

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

# --- standards: the standards and checklist templates in force ----------------------------------
urlpatterns += [
    path("quality/standards/", standard_views.StandardList.as_view(), name="quality-standard-list"),
    path(
        "quality/checklist-templates/",
        standard_views.ChecklistTemplateList.as_view(),
        name="quality-checklist-template-list",
    ),
]
