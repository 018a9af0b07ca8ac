from django.urls import path

from clearinghouse.national.api import views

urlpatterns = [
    path("<str:party>/targets/", views.NationalTargetList.as_view(), name="national-targets"),
    path("<str:party>/reports/", views.NationalReportList.as_view(), name="national-reports"),
]
