from django.urls import path

from clearinghouse.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
