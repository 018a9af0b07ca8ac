from __future__ import annotations

from django.urls import path

from clearinghouse.learning import (
    certificate_views,
    course_package_views,
    offline_views,
    scorm_views,
    statistics_views,
)

app_name = "learning"

# Fixed paths (verify/, statistics/) come before any <identifier>/ pattern would take them.
urlpatterns = [
    *certificate_views.urlpatterns,
    *statistics_views.urlpatterns,
    # SCORM modules: import into a course, play, and the runtime's commits.
    path("courses/<str:identifier>/scorm-import/", scorm_views.import_package, name="scorm_import"),
    path("courses/<str:identifier>/scorm/<str:key>/", scorm_views.play, name="scorm_play"),
    path("courses/<str:identifier>/scorm/<str:key>/commit", scorm_views.commit, name="scorm_commit"),
    # Offline packages and progress made offline.
    path("study/<str:identifier>/offline/", offline_views.packages, name="offline_packages"),
    path("study/<str:identifier>/offline/package.zip", offline_views.package, name="offline_package"),
    path("offline/upload/", offline_views.upload, name="offline_upload"),
    # Course packages, in the authoring area.
    path("authoring/import/", course_package_views.course_import, name="course_import"),
    path("authoring/<str:identifier>/export.zip", course_package_views.course_export, name="course_export"),
]
