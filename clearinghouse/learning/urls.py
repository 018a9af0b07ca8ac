from django.urls import path

from clearinghouse.learning import enrolment_views, study_views

app_name = "learning"
urlpatterns = [
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
]
