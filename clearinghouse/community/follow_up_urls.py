"""Routes of the community app: follow_up (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import follow_up_views

urlpatterns: list[URLPattern] = [
    path("follow-up/", follow_up_views.follow_up_list, name="follow_up_list"),
    path("follow-up/answer/<str:token>/", follow_up_views.follow_up_answer, name="follow_up_answer"),
    path("follow-up/<str:identifier>/", follow_up_views.follow_up_set, name="follow_up_set"),
]
