from django.urls import path

from clearinghouse.plan import contribution_views, views

app_name = "plan"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("<int:number>/", views.activity_detail, name="detail"),
    path("<int:number>/progress/", views.record_progress, name="record_progress"),
    path("<int:number>/evidence/", views.add_evidence, name="add_evidence"),
    path("<int:number>/translate/<str:language>/", views.translate, name="translate"),
    path("<int:number>/interest/", contribution_views.state_interest, name="state_interest"),
    path("<int:number>/contribution/", contribution_views.report_contribution, name="report_contribution"),
    path("contributions/mine/", contribution_views.mine, name="my_contributions"),
    path("contributions/review/", contribution_views.review, name="review_contributions"),
    path("contributions/<int:pk>/accept/", contribution_views.accept, name="accept_contribution"),
    path("contributions/<int:pk>/decline/", contribution_views.decline, name="decline_contribution"),
    path("contributions/<int:pk>/withdraw/", contribution_views.withdraw, name="withdraw_contribution"),
]
