from django.urls import URLPattern, URLResolver

from clearinghouse.events import registration_views

app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += registration_views.urlpatterns
