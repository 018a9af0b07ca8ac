"""The monitoring console (console_views.py), at /monitoring/ under the namespace
``monitoring_console``."""

from django.urls import path

from clearinghouse.monitoring import console_views as views

app_name = "monitoring_console"
urlpatterns = [
    path("console/", views.index, name="index"),
    path("console/compute/", views.compute, name="compute"),
    path("console/review/", views.review, name="review"),
    path("console/review/<int:pk>/approve/", views.approve, name="approve"),
    path("console/review/<int:pk>/return/", views.return_value, name="return"),
    path("console/values/", views.values, name="values"),
    path("console/values/<str:code>/", views.submit_value, name="submit_value"),
    path("console/indicators/", views.indicators, name="indicators"),
    path("console/indicators/<str:code>/", views.indicator, name="indicator"),
    path("console/indicators/<str:code>/target/", views.set_target, name="set_target"),
    path("console/indicators/<str:code>/baseline/", views.set_baseline, name="set_baseline"),
]
