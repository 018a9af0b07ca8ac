from __future__ import annotations

from django.urls import path

from clearinghouse.learning import certificate_views, scorm_views, statistics_views

app_name = "learning"

# Fixed paths (verify/, statistics/) come before any <identifier>/ pattern would take them.
urlpatterns = [
    *certificate_views.urlpatterns,
    *statistics_views.urlpatterns,
    path("courses/<str:identifier>/scorm-import/", scorm_views.import_package, name="scorm_import"),
    path("courses/<str:identifier>/scorm/<str:key>/", scorm_views.play, name="scorm_play"),
    path("courses/<str:identifier>/scorm/<str:key>/commit", scorm_views.commit, name="scorm_commit"),
]
