from django.urls import path

from clearinghouse.events import (
    attendance_views,
    registration_views,
    roundtable_views,
    schedule_views,
    survey_views,
    views,
)
from clearinghouse.events.models import Event
from clearinghouse.support import exchange_views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
    path("time-zones/", views.time_zone_options, name="time_zones"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    # Import and export through the support registry's pages (the shared exchange engine).
    path("export/", exchange_views.export, {"slug": Event.SLUG}, name="export"),
    path("import/", exchange_views.import_records, {"slug": Event.SLUG}, name="import"),
    path("<str:identifier>/", views.detail, name="detail"),
    path("<str:identifier>/event.ics", views.event_ics, name="ics"),
    path("<str:identifier>/edit/", views.edit, name="edit"),
    path("<str:identifier>/translate/<str:language>/", views.translate, name="translate"),
    path("<str:identifier>/settings/", views.event_settings, name="settings"),
    path("<str:identifier>/picture/", views.event_picture, name="picture"),
]
urlpatterns += registration_views.urlpatterns
# First: the event's page (<identifier>/) would take participation/.
urlpatterns = [*attendance_views.urlpatterns, *urlpatterns]
urlpatterns += survey_views.urlpatterns
urlpatterns += roundtable_views.urlpatterns
urlpatterns += schedule_views.urlpatterns
