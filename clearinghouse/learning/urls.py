from django.urls import path

from clearinghouse.learning import lti_views, xapi_views

app_name = "learning"
urlpatterns = [
    path("my-statements.json", xapi_views.my_statements, name="my_statements"),
    path("statements/", xapi_views.statements, name="statements"),
    path("statements/export.jsonl", xapi_views.statements_export, name="statements_export"),
]
urlpatterns += lti_views.urlpatterns
