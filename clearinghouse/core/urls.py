from django.urls import path

from clearinghouse.core import pages, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", pages.about, name="about"),
    path("contact/", pages.contact, name="contact"),
    path("privacy/", pages.privacy, name="privacy"),
    path("save-data/", views.save_data, name="save_data"),
]
