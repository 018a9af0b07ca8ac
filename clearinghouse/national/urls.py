from django.urls import path

from clearinghouse.national import views

app_name = "national"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<str:code>/targets/", views.targets, name="targets"),
    path("<str:code>/targets/add/", views.target_form, name="add_target"),
    path("<str:code>/targets/import/", views.import_targets, name="import_targets"),
    path("<str:code>/targets/template.xlsx", views.import_template, name="import_template"),
    path("<str:code>/targets/<int:pk>/edit/", views.target_form, name="edit_target"),
    path("<str:code>/targets/<int:pk>/retire/", views.retire_target, name="retire_target"),
    path("<str:code>/reports/", views.reports, name="reports"),
    path("<str:code>/reports/add/", views.report_form, name="add_report"),
    path("<str:code>/reports/<int:pk>/edit/", views.report_form, name="edit_report"),
    path("<str:code>/reports/<int:pk>/retire/", views.retire_report, name="retire_report"),
]
