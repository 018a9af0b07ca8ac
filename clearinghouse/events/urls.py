from django.urls import URLPattern, URLResolver

from clearinghouse.events import schedule_views

app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += schedule_views.urlpatterns
