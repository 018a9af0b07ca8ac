from django.urls import path

from clearinghouse.publishing.api.views import RecordByIdentifier

urlpatterns = [
    path("records/<str:identifier>/", RecordByIdentifier.as_view(), name="record"),
]
