from __future__ import annotations

from django.urls import path

from clearinghouse.learning import (
    certificate_views,
    course_package_views,
    lti_views,
    offline_views,
    scorm_views,
    statistics_views,
    xapi_views,
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
    # xAPI statements: a learner's own, and the Secretariat's view and export of all.
    path("my-statements.json", xapi_views.my_statements, name="my_statements"),
    path("statements/", xapi_views.statements, name="statements"),
    path("statements/export.jsonl", xapi_views.statements_export, name="statements_export"),
    # LTI 1.3 registrations and launches (the endpoints other systems call are language-free).
    *lti_views.urlpatterns,
]
