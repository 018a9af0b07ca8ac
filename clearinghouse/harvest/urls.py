from django.urls import path

from clearinghouse.harvest import views

app_name = "harvest"

urlpatterns = [
    path("", views.sources, name="sources"),
    path("new/", views.edit_source, name="new"),
    path("<int:pk>/", views.source, name="source"),
    path("<int:pk>/edit/", views.edit_source, name="edit"),
    path("<int:pk>/run/", views.harvest_now, name="run"),
    path("runs/<int:pk>/", views.run, name="run_detail"),
]
