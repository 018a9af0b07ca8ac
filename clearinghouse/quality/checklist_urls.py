"""Routes of the quality app's checklist pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality import checklist_views

urlpatterns: list[URLPattern] = [
    path("checklists/<str:identifier>/", checklist_views.checklist_item, name="checklist_item"),
    path("checklists/<str:identifier>/start/", checklist_views.checklist_start, name="checklist_start"),
    path(
        "checklists/<str:identifier>/steps/<int:step>/<slug:action>/",
        checklist_views.checklist_step,
        name="checklist_step",
    ),
]
