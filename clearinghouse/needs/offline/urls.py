from django.urls import path

from clearinghouse.needs.offline import views

app_name = "needs_offline"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template_download, name="template"),
    path("xlsform/", views.xlsform_download, name="xlsform"),
    path("upload/", views.upload, name="upload"),
    path("submissions/", views.submissions_upload, name="submissions"),
    path("export/", views.export, name="export"),
]
