"""Routes of the community app: digest (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.community import digest_views

urlpatterns: list[URLPattern] = [
    path("digests/", digest_views.digest_settings, name="digest_settings"),
    path("digest/unsubscribe/<str:token>/", digest_views.unsubscribe, name="digest_unsubscribe"),
]
