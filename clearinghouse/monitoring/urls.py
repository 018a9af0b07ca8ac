from django.urls import path, register_converter

from clearinghouse.monitoring import views


class FileFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FileFormat, "format")

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("activities/<int:number>/", views.activity, name="activity"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path(
        "indicators/<str:code>/values.<format:file_format>",
        views.indicator_download,
        name="indicator_download",
    ),
    path("<slug:area>/", views.area, name="area"),
    path("<slug:area>/values.<format:file_format>", views.area_download, name="area_download"),
]
