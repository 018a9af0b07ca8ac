from django.urls import path

from clearinghouse.learning import authoring_views, views
from clearinghouse.learning.models import Course
from clearinghouse.support import exchange_views

app_name = "learning"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.mine, name="mine"),
    # The catalogue entries as a file, through the shared exchange engine (the outline is not a cell).
    path("export/", exchange_views.export, {"slug": Course.SLUG}, name="export"),
    path("courses/<str:identifier>/", views.course, name="course"),
]
urlpatterns += authoring_views.urlpatterns
