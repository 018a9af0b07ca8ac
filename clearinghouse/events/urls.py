from django.urls import URLPattern, URLResolver

from clearinghouse.events import survey_views

app_name = "events"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += survey_views.urlpatterns
