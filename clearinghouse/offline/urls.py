from django.urls import path

from clearinghouse.offline import views

app_name = "offline"
urlpatterns = [
    path("", views.reading, name="reading"),
]
