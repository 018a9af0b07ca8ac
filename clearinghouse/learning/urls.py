from __future__ import annotations

from django.urls import path

from clearinghouse.learning import (
    authoring_views,
    certificate_views,
    course_package_views,
    enrolment_views,
    lti_views,
    offline_views,
    scorm_views,
    statistics_views,
    study_views,
    views,
    xapi_views,
)
from clearinghouse.learning.models import Course
from clearinghouse.support import exchange_views

app_name = "learning"

# Fixed paths (verify/, statistics/) come before any <identifier>/ pattern would take them.
urlpatterns = [
    # The catalogue and the course pages.
    path("", views.catalogue, name="catalogue"),
    path("writing/", views.mine, name="writing"),
    # The catalogue entries as a file, through the shared exchange engine (the outline is not a cell).
    path("export/", exchange_views.export, {"slug": Course.SLUG}, name="export"),
    path("courses/<str:identifier>/", views.course, name="course"),
    *authoring_views.urlpatterns,
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
    # Studying: enrolment, the course as the learner works through it, "My learning".
    path("mine/", study_views.mine, name="mine"),
    path("enrol/<str:identifier>/", study_views.enrol, name="enrol"),
    path("invitation/<str:token>/", study_views.invitation, name="invitation"),
    path("study/<str:identifier>/", study_views.study, name="study"),
    path("study/<str:identifier>/language/", study_views.change_language, name="study_language"),
    path("study/<str:identifier>/withdraw/", study_views.withdraw, name="withdraw"),
    path("study/<str:identifier>/lesson/<str:key>/", study_views.lesson, name="lesson"),
    path("study/<str:identifier>/quiz/<str:key>/", study_views.quiz, name="quiz"),
    path("study/<str:identifier>/quiz/<str:key>/<int:number>/", study_views.attempt, name="attempt"),
    # The trainer's side: learners, cohorts, invitations.
    path("teach/<str:identifier>/learners/", enrolment_views.learners, name="learners"),
    path("teach/<str:identifier>/cohorts/", enrolment_views.cohorts, name="cohorts"),
    path("teach/<str:identifier>/cohorts/<int:pk>/", enrolment_views.cohort, name="cohort"),
    path(
        "teach/<str:identifier>/cohorts/<int:pk>/enrol-event/",
        enrolment_views.enrol_event,
        name="cohort_enrol_event",
    ),
    path("teach/<str:identifier>/invitations/", enrolment_views.invitations, name="invitations"),
    # xAPI statements: a learner's own, and the Secretariat's view and export of all.
    path("my-statements.json", xapi_views.my_statements, name="my_statements"),
    path("statements/", xapi_views.statements, name="statements"),
    path("statements/export.jsonl", xapi_views.statements_export, name="statements_export"),
    # LTI 1.3 registrations and launches (the endpoints other systems call are language-free).
    *lti_views.urlpatterns,
]
