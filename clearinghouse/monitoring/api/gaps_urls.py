from django.urls import path

from clearinghouse.monitoring.api import gaps

urlpatterns = [
    path("statistics/gaps/", gaps.GapsView.as_view(), name="statistics-gaps"),
]
