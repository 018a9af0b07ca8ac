"""Routes of the community app: mentoring (composed in urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
