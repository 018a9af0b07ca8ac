from django.urls import path

from clearinghouse.needs import views

app_name = "needs"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("new/<str:form_name>/", views.start, name="start"),
    path("edit/<str:identifier>/<str:step>/", views.step, name="step"),
    path("translate/<str:identifier>/<str:language>/", views.translate, name="translate"),
    path("status/<str:identifier>/", views.status, name="status"),
    path("assessments/<str:identifier>/", views.assessment, name="assessment"),
    path("requests/<str:identifier>/", views.request_detail, name="request"),
    path("<str:identifier>/", views.need, name="need"),
]
