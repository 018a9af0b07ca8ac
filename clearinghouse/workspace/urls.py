from django.urls import path

from clearinghouse.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
