from django.urls import path

from clearinghouse.learning import authoring_views, views

app_name = "learning"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.mine, name="mine"),
    path("courses/<str:identifier>/", views.course, name="course"),
]
urlpatterns += authoring_views.urlpatterns
