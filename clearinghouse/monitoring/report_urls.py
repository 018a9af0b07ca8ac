from django.urls import path

from clearinghouse.monitoring import report_views

app_name = "monitoring_reports"
urlpatterns = [
    path("", report_views.index, name="index"),
    path("published/", report_views.published_list, name="published"),
    path("published/<int:pk>/", report_views.published_detail, name="published_detail"),
    path(
        "published/<int:pk>/<slug:language>.<slug:format>",
        report_views.published_download,
        name="published_download",
    ),
    path("<int:pk>/", report_views.detail, name="detail"),
    path("<int:pk>/narrative/<slug:language>/", report_views.narrative, name="narrative"),
    path("<int:pk>/preview/<slug:language>/", report_views.preview, name="preview"),
    path("<int:pk>/refresh/", report_views.refresh, name="refresh"),
    path("<int:pk>/build/", report_views.build, name="build"),
    path("<int:pk>/publish/", report_views.publish, name="publish"),
    path("<int:pk>/new-draft/", report_views.new_draft, name="new_draft"),
    path("<int:pk>/<slug:language>.<slug:format>", report_views.download, name="download"),
]
