"""The events' pages, mounted at /events/ (in each language)."""

from django.urls import URLPattern, URLResolver

from clearinghouse.events import roundtable_views

app_name = "events"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += roundtable_views.urlpatterns
