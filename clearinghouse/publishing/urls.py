from django.urls import path

from clearinghouse.publishing import views

app_name = "publishing"
urlpatterns = [
    path("records/<str:identifier>/", views.record_detail, name="detail"),
    path("records/<str:identifier>/history/", views.history, name="history"),
    path("records/<str:identifier>/print/", views.record_print, name="print"),
    path("records/<str:identifier>/pdf/", views.record_pdf, name="pdf"),
    path("records/<str:identifier>/report/", views.report, name="report"),
    path("records/<str:identifier>/share/", views.share, name="share"),
    path("records/<str:identifier>/<str:action>/", views.act, name="act"),
    path("shared/<str:token>/", views.shared_draft, name="shared"),
    path("review/", views.review_queue, name="queue"),
    path("review/reports/<int:pk>/resolve/", views.resolve_report, name="resolve_report"),
]
