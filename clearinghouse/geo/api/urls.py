from django.urls import path

from clearinghouse.geo.api import views

urlpatterns = [
    path("countries/", views.CountryList.as_view(), name="country-list"),
    path("countries/<str:code>/", views.CountryDetail.as_view(), name="country-detail"),
]
