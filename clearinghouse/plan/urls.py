from django.urls import path

from clearinghouse.plan import views

app_name = "plan"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("<int:number>/", views.activity_detail, name="detail"),
    path("<int:number>/progress/", views.record_progress, name="record_progress"),
    path("<int:number>/evidence/", views.add_evidence, name="add_evidence"),
    path("<int:number>/translate/<str:language>/", views.translate, name="translate"),
]
