from django.urls import path

from clearinghouse.support import exchange_views, views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("edit/<str:identifier>/", views.edit, name="edit"),
    path("translate/<str:identifier>/<str:language>/", views.translate, name="translate"),
    path("confirm/<str:identifier>/", views.confirm, name="confirm"),
    path("versions/<str:identifier>/add/", views.add_version, name="add_version"),
    path("versions/<int:pk>/remove/", views.remove_version, name="remove_version"),
    path("download/<int:pk>/", views.download, name="download"),
    path("experts/claim/<str:token>/", views.claim_expert, name="claim_expert"),
    path("<str:slug>/", views.record_list, name="list"),
    path("<str:slug>/new/", views.new, name="new"),
    path("<str:slug>/export/", exchange_views.export, name="export"),
    path("<str:slug>/import/", exchange_views.import_records, name="import"),
    path("<str:slug>/<str:identifier>/", views.detail, name="detail"),
]
