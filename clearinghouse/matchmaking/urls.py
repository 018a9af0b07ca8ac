from django.urls import path

from clearinghouse.matchmaking import views

app_name = "matchmaking"
urlpatterns = [
    path("", views.console, name="console"),
    path("cases/open/", views.open_case, name="open_case"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="case_action"),
    path("pair/", views.pair, name="pair"),
    path("not-relevant/", views.not_relevant, name="not_relevant"),
    path("mine/", views.mine, name="mine"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/agree/", views.agree, name="agree"),
    path("matches/<int:pk>/cooperation/", views.cooperation, name="cooperation"),
    path("matches/<int:pk>/<str:action>/", views.match_action, name="match_action"),
    path("for/<str:identifier>/", views.record, name="record"),
    path("offer/<str:identifier>/", views.offer_help, name="offer_help"),
    path("ask/<str:identifier>/", views.ask_help_desk, name="ask"),
    path("circulate/<str:identifier>/", views.circulate, name="circulate"),
    path("seeking/", views.seeking, name="seeking"),
]
