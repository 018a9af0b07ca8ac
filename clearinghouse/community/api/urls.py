from django.urls import path

from clearinghouse.community.api import views

urlpatterns = [
    path("community/statistics/", views.CommunityStatistics.as_view(), name="community-statistics"),
]
