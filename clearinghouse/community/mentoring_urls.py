"""Routes of the community app: mentoring (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import mentoring_views as views

urlpatterns: list[URLPattern] = [
    path("mentoring/", views.mine, name="mentoring"),
    path("mentoring/ask/", views.ask, name="mentoring_ask"),
    path("mentoring/<int:pk>/", views.mentorship, name="mentorship"),
    path("mentoring/<int:pk>/<slug:action>/", views.act, name="mentorship_action"),
]
