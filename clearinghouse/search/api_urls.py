from django.urls import path

from clearinghouse.search.api import SearchView

urlpatterns = [
    path("", SearchView.as_view(), name="search"),
]
