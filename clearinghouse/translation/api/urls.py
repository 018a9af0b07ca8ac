"""The translation app's API: requests and coverage (read-only)."""

from __future__ import annotations

from django.urls import path

from clearinghouse.translation.api import views

urlpatterns = [
    path("translation/requests/", views.TranslationRequestList.as_view(), name="translation-request-list"),
    path("translation/coverage/", views.Coverage.as_view(), name="translation-coverage"),
]
