"""The widgets themselves, in no language of their address: the ``lang`` parameter chooses."""

from django.urls import path

from clearinghouse.widgets import views

app_name = "widgets"
urlpatterns = [
    path("<slug:kind>/", views.frame, name="frame"),
    path("<slug:kind>.json", views.data, name="data"),
]
