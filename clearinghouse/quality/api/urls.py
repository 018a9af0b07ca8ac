"""The quality app's API: standards, reviews' judgments, ratings and statistics (read-only)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality.api import standard_views

urlpatterns: list[URLPattern] = [
    # Standards and checklist templates in force.
    path("quality/standards/", standard_views.StandardList.as_view(), name="quality-standard-list"),
    path(
        "quality/checklist-templates/",
        standard_views.ChecklistTemplateList.as_view(),
        name="quality-checklist-template-list",
    ),
]
