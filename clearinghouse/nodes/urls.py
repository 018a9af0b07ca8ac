from django.urls import path

from clearinghouse.nodes import views

app_name = "nodes"
urlpatterns = [
    path("", views.countries, name="countries"),
    # Before <code>/: "chm" is no ISO code, and the register is not a country.
    path("chm/", views.register, name="register"),
    path("chm/mine/", views.mine, name="mine"),
    path("<str:code>/", views.country, name="country"),
    path("<str:code>/chm/", views.chm_form, name="chm"),
    path("<str:code>/chm/status/", views.status_form, name="status"),
    path("<str:code>/chm/support/", views.support_form, name="support"),
]
