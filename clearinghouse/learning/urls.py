from django.urls import path

from clearinghouse.learning import course_package_views, offline_views

app_name = "learning"
urlpatterns = [
    # Offline packages and progress made offline.
    path("study/<str:identifier>/offline/", offline_views.packages, name="offline_packages"),
    path("study/<str:identifier>/offline/package.zip", offline_views.package, name="offline_package"),
    path("offline/upload/", offline_views.upload, name="offline_upload"),
    # Course packages, in the authoring area.
    path("authoring/import/", course_package_views.course_import, name="course_import"),
    path("authoring/<str:identifier>/export.zip", course_package_views.course_export, name="course_export"),
]
