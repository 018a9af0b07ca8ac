from django.urls import path

from clearinghouse.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.page, name="page"),
]
