from django.urls import path

from clearinghouse.nodes.api import views

urlpatterns = [
    path("national-chms/", views.NationalCHMList.as_view(), name="national-chms"),
    path("national-chms/<str:party>/", views.NationalCHMDetail.as_view(), name="national-chm"),
]
