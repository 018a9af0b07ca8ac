from django.urls import path

from clearinghouse.monitoring.api import views

urlpatterns = [
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("indicators/<str:code>/values/", views.IndicatorValues.as_view(), name="indicator-values"),
]
