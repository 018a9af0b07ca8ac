from django.urls import path

from clearinghouse.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.knowledge_list, name="list"),
    path("new/", views.new, name="new"),
    path("export/", views.export, name="export"),
    path("import/", views.import_products, name="import"),
    path("subjects/<str:code>/", views.subject, name="subject"),
    path("targets/<str:code>/", views.target, name="target"),
    path("from-cooperation/<int:match_id>/", views.from_cooperation, name="from_cooperation"),
    path("<str:identifier>/edit/", views.edit, name="edit"),
    path("<str:identifier>/translate/<str:language>/", views.translate, name="translate"),
    path("<str:identifier>/", views.detail, name="detail"),
]
