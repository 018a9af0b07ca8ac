from django.urls import URLPattern, URLResolver

from clearinghouse.events import attendance_views

app_name = "events"

urlpatterns: list[URLPattern | URLResolver] = []
# First: an event's own page (<identifier>/) would take participation/ and certificates/.
urlpatterns = [*attendance_views.urlpatterns, *urlpatterns]
